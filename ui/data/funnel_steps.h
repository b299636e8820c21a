// A cleaning run's funnel report (the JSON `strata-cli clean --report` writes) as funnel steps:
// the documents read, what is left after each stage in pipeline order, and what was written.
// Each step's hover text lists the rules that removed documents there.
#pragma once

#include "widgets/funnel_chart.h"

#include <QJsonObject>
#include <QList>

namespace strata::ui {

QList<widgets::FunnelStep> funnelSteps(const QJsonObject& report);

}  // namespace strata::ui
