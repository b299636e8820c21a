// Exponential moving average of a metric series, the way training dashboards smooth a noisy
// loss: each point becomes weight × previous + (1 - weight) × value, debiased at the start so the
// curve does not rise from zero. Weight 0 leaves the series as it is.
#pragma once

#include <QList>
#include <QPointF>

namespace strata::widgets {

QList<QPointF> smoothedSeries(const QList<QPointF>& points, double weight);

}  // namespace strata::widgets
