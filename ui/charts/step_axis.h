// The x axis a chart shows a run's metrics against: training steps, tokens seen (the run's own
// "tokens" metric) or wall time (seconds since the run's first point of the metric). Steps map
// onto tokens or seconds by interpolating between samples of the run's series taken at evenly
// spaced steps, so a million-step run costs a few hundred index probes, not a scan.
#pragma once

#include "core/store/run_catalog.h"

#include <QList>
#include <QPointF>
#include <QString>

namespace strata::ui {

enum class XAxis { Step, Tokens, WallTime };

QString xAxisTitle(XAxis axis);

// The run's series `key`, downsampled to `pixelWidth` (see chartPoints), on the chosen x axis.
// Empty when the run has no such series, or no "tokens" series for the tokens axis.
QList<QPointF> runSeriesPoints(store::RunCatalog& runs, int64_t runId, const std::string& key,
                               XAxis axis, int pixelWidth);

}  // namespace strata::ui
