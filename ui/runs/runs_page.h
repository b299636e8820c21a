// The Runs page, for reviewers: the run history as a sortable, filterable table; the runs
// selected in it overlaid in one chart for any metric they share (downsampled to the chart's
// width by the store), one line a run or, grouped by tag or by a config key, one mean line a
// group with a band from its lowest to its highest run, and as differences from a baseline run; for
// two selected runs, their configs compared key by key; for one, its lineage back to the raw data
// and its title, tags and notes to edit. Selected runs can be exported as CSV or deleted from the
// history (their run folders stay); one selected run's latest checkpoint can be exported as a model
// (Export Model…, which the main window carries out). On a workspace of another host (a remote
// catalog), the host's worker answers all of it but deleting runs and exporting models, which
// are turned off and say why. The page re-reads the history when it is shown; a history that
// cannot be read or written, or a host that cannot be reached, is said in its message line. A
// history without runs shows what the page is for in their place.
#pragma once

#include "core/store/run_catalog.h"
#include "ui/common/error_reporter.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace strata::widgets {
class EmptyState;
class MetricChart;
}  // namespace strata::widgets

namespace strata::ui {

class ChartControls;
class RunCommentsPane;
class RunTableModel;

class RunsPage : public QWidget {
    Q_OBJECT

public:
    explicit RunsPage(store::RunCatalog& runs, QWidget* parent = nullptr);

    // Re-reads the history, keeping the selection. The main window calls it while the page is
    // shown; the page calls it itself when it is shown again.
    void reload();
    // Selects the runs with these ids (the table's selection drives the chart and the diff).
    void selectRuns(const QList<int64_t>& runIds);
    QList<int64_t> selectedRuns() const;

    // Saves the details pane (title, tags, notes) to the one selected run.
    void saveDetails();
    // Writes one <name>.csv of every metric per selected run into `folder`; false (with the
    // reason in the details line) when one cannot be written.
    bool exportSelected(const QString& folder);
    // Removes the selected runs from the history, after asking when `ask` is set.
    void deleteSelected(bool ask = true);
    QString message() const;
    // Save Report…: the selected runs with a chart of each of `metrics`, as one HTML file
    // (run_report.h); false, with the reason in the message line, when it cannot be written.
    bool saveReport(const QString& path, const QStringList& metrics);

protected:
    void showEvent(QShowEvent* event) override;

signals:
    // A run was double-clicked (or Enter pressed on it): show it on the Train page.
    void runActivated(qint64 runId);
    // The placeholder's button: the Home page, where runs start.
    void pipelineRequested();
    // Export Model…: the selected run's latest checkpoint as a Hugging Face folder or GGUF file.
    void exportRequested(qint64 runId);

private:
    void selectionChanged();
    void plotSelected();
    // Asks which charts and where, then saves the report.
    void chooseReport();
    // The baseline box lists the selected runs, keeping the chosen one while it stays selected.
    void listBaselines();
    void showDiff();
    void showLineage();
    void showDetails();
    void report(const QString& message);

    store::RunCatalog& m_catalog;
    RunTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTableView* m_table;
    QComboBox* m_metric;
    QComboBox* m_groupBy;   // runs one by one, by tag, or by a config key
    QLineEdit* m_groupKey;  // the config key
    QComboBox* m_baseline;  // none, or a selected run the others are drawn against
    ChartControls* m_chartControls;
    widgets::MetricChart* m_chart;
    QTabWidget* m_tabs;
    QPlainTextEdit* m_diff;
    QCheckBox* m_diffAllKeys;
    QTreeWidget* m_lineage;
    QLineEdit* m_title;
    QLineEdit* m_tags;
    QPlainTextEdit* m_notes;
    QPushButton* m_save;
    QPushButton* m_exportModel;
    QLabel* m_message;
    widgets::EmptyState* m_empty = nullptr;  // the page, or what it is for without runs
    ErrorReporter m_errors;                  // into the message line
    RunCommentsPane* m_comments;             // uses m_errors
};

}  // namespace strata::ui
