#include "widgets/series_smoothing.h"

#include <algorithm>
#include <cmath>

namespace strata::widgets {

QList<QPointF> smoothedSeries(const QList<QPointF>& points, double weight) {
    weight = std::clamp(weight, 0.0, 0.999);
    if (weight == 0.0) return points;
    QList<QPointF> smoothed;
    smoothed.reserve(points.size());
    double average = 0;
    double debias = 1;
    for (const QPointF& point : points) {
        if (!std::isfinite(point.y())) continue;
        average = weight * average + (1 - weight) * point.y();
        debias *= weight;
        smoothed.append({point.x(), average / (1 - debias)});
    }
    return smoothed;
}

}  // namespace strata::widgets
