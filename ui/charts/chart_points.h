// A downsampled metric series (the run history's min/max buckets) as the polyline a chart draws:
// per bucket its first value, its lowest and highest (so a spike stays visible at any zoom), and
// its last value, in step order.
#pragma once

#include "core/store/metric_series.h"

#include <QList>
#include <QPointF>

#include <vector>

namespace strata::ui {

QList<QPointF> chartPoints(const std::vector<store::SeriesBucket>& buckets);

}  // namespace strata::ui
