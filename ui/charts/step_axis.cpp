#include "ui/charts/step_axis.h"

#include "core/run/metric_keys.h"
#include "ui/charts/chart_points.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

namespace strata::ui {

QString xAxisTitle(XAxis axis) {
    switch (axis) {
        case XAxis::Step:
            return QCoreApplication::translate("XAxis", "step");
        case XAxis::Tokens:
            return QCoreApplication::translate("XAxis", "tokens");
        case XAxis::WallTime:
            return QCoreApplication::translate("XAxis", "wall time (s)");
    }
    return {};
}

QList<QPointF> runSeriesPoints(store::RunCatalog& runs, int64_t runId, const std::string& key,
                               XAxis axis, int pixelWidth) {
    QList<QPointF> points =
        chartPoints(runs.series(runId, key, 0, std::numeric_limits<int64_t>::max(), pixelWidth));
    if (axis == XAxis::Step || points.isEmpty()) return points;

    const auto first = int64_t(points.front().x());
    const auto last = int64_t(points.back().x());
    std::vector<store::StepSample> samples =
        runs.sampleSteps(runId, axis == XAxis::Tokens ? run::kMetricTokens : key, first, last,
                         std::max(pixelWidth, 2));
    if (samples.empty()) return {};
    const double start = samples.front().wallTime;
    auto xOf = [&](const store::StepSample& sample) {
        return axis == XAxis::Tokens ? sample.value : sample.wallTime - start;
    };
    for (QPointF& point : points) {
        // The first sample at or after the step, and the one before it: interpolate between.
        auto after = std::lower_bound(samples.begin(), samples.end(), point.x(),
                                      [](const store::StepSample& sample, double step) {
                                          return double(sample.step) < step;
                                      });
        if (after == samples.end()) {
            point.setX(xOf(samples.back()));
        } else if (after == samples.begin() || double(after->step) == point.x()) {
            point.setX(xOf(*after));
        } else {
            const store::StepSample& before = *(after - 1);
            double t = (point.x() - double(before.step)) / double(after->step - before.step);
            point.setX(xOf(before) + t * (xOf(*after) - xOf(before)));
        }
    }
    return points;
}

}  // namespace strata::ui
