#include "ui/train/router_load.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <limits>
#include <set>

namespace strata::ui {

namespace {

const QRegularExpression& loadKey() {
    static const QRegularExpression pattern(R"(^router\.(\d+)\.load\.(\d+)$)");
    return pattern;
}

}  // namespace

std::vector<int> routerLayers(store::RunHistory& history, int64_t runId) {
    std::set<int> layers;
    for (const std::string& key : history.metricKeys(runId))
        if (QRegularExpressionMatch match = loadKey().match(QString::fromStdString(key));
            match.hasMatch())
            layers.insert(match.captured(1).toInt());
    return {layers.begin(), layers.end()};
}

RouterLoad routerLoad(store::RunHistory& history, int64_t runId, int layer, int columns) {
    std::set<int> experts;
    for (const std::string& key : history.metricKeys(runId))
        if (QRegularExpressionMatch match = loadKey().match(QString::fromStdString(key));
            match.hasMatch() && match.captured(1).toInt() == layer)
            experts.insert(match.captured(2).toInt());
    RouterLoad load;
    for (int expert : experts) {
        std::vector<store::SeriesBucket> buckets = history.series(
            runId, "router." + std::to_string(layer) + ".load." + std::to_string(expert), 0,
            std::numeric_limits<int64_t>::max(), columns);
        QVector<double> shares;
        for (const store::SeriesBucket& bucket : buckets)
            shares.append(bucket.lastValue);
        if (load.columns.isEmpty())
            for (const store::SeriesBucket& bucket : buckets)
                load.columns << QCoreApplication::translate("RouterLoad", "steps %1–%2")
                                    .arg(bucket.firstStep)
                                    .arg(bucket.lastStep);
        // Experts whose series are shorter (a run still writing) are padded to line up.
        shares.resize(load.columns.size(), 0.0);
        load.experts << QCoreApplication::translate("RouterLoad", "expert %1").arg(expert);
        load.shares.append(shares);
    }
    return load;
}

}  // namespace strata::ui
