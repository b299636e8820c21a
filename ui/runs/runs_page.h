// The Runs page, for reviewers: the run history as a sortable, filterable table; the runs
// selected in it overlaid in one chart for any metric they share (downsampled to the chart's
// width by the store); and, for two selected runs, their configs compared key by key.
#pragma once

#include "core/store/run_history.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSlider;
class QSortFilterProxyModel;
class QTableView;

namespace strata::widgets {
class MetricChart;
}

namespace strata::ui {

class RunTableModel;

class RunsPage : public QWidget {
    Q_OBJECT

public:
    explicit RunsPage(store::RunHistory& history, QWidget* parent = nullptr);

    // Re-reads the history, keeping the selection.
    void reload();
    // Selects the runs with these ids (the table's selection drives the chart and the diff).
    void selectRuns(const QList<int64_t>& runIds);
    QList<int64_t> selectedRuns() const;

private:
    void selectionChanged();
    void plotSelected();
    void showDiff();

    store::RunHistory& m_history;
    RunTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_table;
    QComboBox* m_metric;
    QCheckBox* m_logScale;
    QSlider* m_smoothing;
    widgets::MetricChart* m_chart;
    QPlainTextEdit* m_diff;
};

}  // namespace strata::ui
