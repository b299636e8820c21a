#include "ui/charts/chart_points.h"

namespace strata::ui {

QList<QPointF> chartPoints(const std::vector<store::SeriesBucket>& buckets) {
    QList<QPointF> points;
    points.reserve(qsizetype(buckets.size()) * 4);
    for (const store::SeriesBucket& bucket : buckets) {
        points.append({double(bucket.firstStep), bucket.firstValue});
        if (bucket.count > 2) {
            double middle = 0.5 * double(bucket.firstStep + bucket.lastStep);
            points.append({middle, bucket.minValue});
            points.append({middle, bucket.maxValue});
        }
        if (bucket.count > 1) points.append({double(bucket.lastStep), bucket.lastValue});
    }
    return points;
}

}  // namespace strata::ui
