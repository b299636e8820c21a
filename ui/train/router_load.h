// A run's router load per expert over the run, for the Train page's heatmap: the MoE layers the
// run reports loads for ("router.L.load.E" metrics) and, for one layer, each expert's share of
// the routed tokens in columns of steps, downsampled by the history like any series. A column
// holds the share at the last step it covers.
#pragma once

#include "core/store/run_catalog.h"

#include <QList>
#include <QStringList>
#include <QVector>

#include <vector>

namespace strata::ui {

struct RouterLoad {
    QStringList experts;
    QList<QVector<double>> shares;  // [expert][column]
    QStringList columns;            // "steps 1–16"
};

std::vector<int> routerLayers(store::RunCatalog& runs, int64_t runId);
RouterLoad routerLoad(store::RunCatalog& runs, int64_t runId, int layer, int columns);

}  // namespace strata::ui
