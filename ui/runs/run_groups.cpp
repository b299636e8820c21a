#include "ui/runs/run_groups.h"

#include "core/store/config_diff.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>
#include <map>

namespace strata::ui {

namespace {

// `points` (in x order) at `x`, which lies within their range.
double interpolate(const QList<QPointF>& points, double x) {
    auto after = std::lower_bound(points.begin(), points.end(), x,
                                  [](const QPointF& point, double at) { return point.x() < at; });
    if (after == points.begin()) return after->y();
    if (after == points.end()) return points.back().y();
    const QPointF& before = *(after - 1);
    if (after->x() == before.x()) return after->y();
    const double t = (x - before.x()) / (after->x() - before.x());
    return before.y() + t * (after->y() - before.y());
}

QList<RunGroup> toGroups(const std::map<QString, QList<int64_t>>& byName) {
    QList<RunGroup> groups;
    for (const auto& [name, runIds] : byName)
        groups.append({name, runIds});
    return groups;
}

}  // namespace

QList<RunGroup> groupRunsByTag(const std::vector<store::RunRecord>& runs) {
    std::map<QString, QList<int64_t>> byTag;
    for (const store::RunRecord& run : runs)
        for (const std::string& tag : run.tags)
            byTag[QString::fromStdString(tag)].append(run.id);
    return toGroups(byTag);
}

QList<RunGroup> groupRunsByConfigKey(const std::vector<store::RunRecord>& runs,
                                     const std::string& key) {
    std::map<QString, QList<int64_t>> byValue;
    for (const store::RunRecord& run : runs) {
        const std::map<std::string, std::string> config =
            store::flattenToml(run.configText, run.name);
        auto value = config.find(key);
        const QString shown = value == config.end()
                                  ? QCoreApplication::translate("RunGroups", "(absent)")
                                  : QString::fromStdString(value->second);
        byValue[QString::fromStdString(key) + " = " + shown].append(run.id);
    }
    return toGroups(byValue);
}

SeriesBand bandOf(const QList<QList<QPointF>>& series) {
    SeriesBand band;
    if (series.isEmpty()) return band;
    double from = -std::numeric_limits<double>::infinity();
    double to = std::numeric_limits<double>::infinity();
    const QList<QPointF>* densest = &series.front();
    for (const QList<QPointF>& points : series) {
        if (points.isEmpty()) return band;
        from = std::max(from, points.front().x());
        to = std::min(to, points.back().x());
        if (points.size() > densest->size()) densest = &points;
    }
    for (const QPointF& at : *densest) {
        if (at.x() < from || at.x() > to) continue;
        double sum = 0, lowest = std::numeric_limits<double>::infinity();
        double highest = -lowest;
        for (const QList<QPointF>& points : series) {
            const double y = interpolate(points, at.x());
            sum += y;
            lowest = std::min(lowest, y);
            highest = std::max(highest, y);
        }
        band.mean.append({at.x(), sum / double(series.size())});
        band.lower.append({at.x(), lowest});
        band.upper.append({at.x(), highest});
    }
    return band;
}

QList<QPointF> differenceFrom(const QList<QPointF>& series, const QList<QPointF>& baseline) {
    QList<QPointF> difference;
    if (baseline.isEmpty()) return difference;
    for (const QPointF& point : series)
        if (point.x() >= baseline.front().x() && point.x() <= baseline.back().x())
            difference.append({point.x(), point.y() - interpolate(baseline, point.x())});
    return difference;
}

}  // namespace strata::ui
