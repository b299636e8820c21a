// Runs page ▸ Save Report…: the selected runs as one self-contained HTML file a reviewer can mail
// or archive, which opens in any browser without Strata: a table of the runs, a chart of each
// chosen metric against steps (inline SVG, downsampled by the store), the config keys on which
// the runs differ (every key for one run), each run's tags, notes and comments, and its lineage
// back to the raw data. No script and no file or address outside the document.
#pragma once

#include "core/store/run_catalog.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace strata::ui {

QString runReportHtml(store::RunCatalog& catalog, const QList<int64_t>& runIds,
                      const QStringList& metrics);
// Writes the report through a temporary file renamed when complete; throws common::Error naming
// the file when it cannot be written.
void saveRunReport(store::RunCatalog& catalog, const QList<int64_t>& runIds,
                   const QStringList& metrics, const QString& path);

}  // namespace strata::ui
