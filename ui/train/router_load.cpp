#include "ui/train/router_load.h"

#include "core/run/metric_keys.h"

#include <QCoreApplication>

#include <limits>
#include <set>

namespace strata::ui {

std::vector<int> routerLayers(store::RunCatalog& runs, int64_t runId) {
    std::set<int> layers;
    for (const std::string& key : runs.metricKeys(runId))
        if (std::optional<run::RouterLoadKey> parsed = run::parseRouterLoadKey(key))
            layers.insert(int(parsed->layer));
    return {layers.begin(), layers.end()};
}

RouterLoad routerLoad(store::RunCatalog& runs, int64_t runId, int layer, int columns) {
    std::set<int> experts;
    for (const std::string& key : runs.metricKeys(runId))
        if (std::optional<run::RouterLoadKey> parsed = run::parseRouterLoadKey(key);
            parsed && parsed->layer == layer)
            experts.insert(int(parsed->expert));
    RouterLoad load;
    for (int expert : experts) {
        std::vector<store::SeriesBucket> buckets =
            runs.series(runId, run::routerLoadKey(layer, expert), 0,
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
