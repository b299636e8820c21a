// The run history as a table for the Runs page: one row per run (name, stage, state, host,
// duration, step, loss, created, tags, notes). Reads the store on reload() only, so building it
// never fails; sorting and filtering are a QSortFilterProxyModel's, with SortRole giving numbers
// and times as numbers.
#pragma once

#include "core/store/run_catalog.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <vector>

namespace strata::ui {

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Name,
        Stage,
        State,
        Host,
        StartedBy,
        Duration,
        Step,
        Loss,
        Created,
        Tags,
        Notes,
        NumColumns
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int RunIdRole = Qt::UserRole + 2;

    // Empty until reload().
    explicit RunTableModel(store::RunCatalog& runs, QObject* parent = nullptr);

    // Reads the runs; when the store throws, the table keeps the rows it had.
    void reload();
    // What a chart of the runs shows of them: each one's name and last event; a change of it
    // means the chart has something new to draw.
    QStringList chartedState(const QList<int64_t>& runIds) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    store::RunCatalog& m_catalog;
    std::vector<store::RunRecord> m_runs;
};

// "1 h 02 min", "3 min 05 s", "12 s"; empty for a run that has not started.
QString durationText(double seconds);

}  // namespace strata::ui
