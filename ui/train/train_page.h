// The Train page: pick a run config and a target, start the run through a worker, and watch it:
// live charts of the training and validation loss, learning rate, gradient norm and throughput,
// read from the run history about five times a second and downsampled to each chart's width; an
// alignment stage's own charts (stage_charts.h) on a tab beside them, and PPO's and GRPO's
// rollout inspector on another; a log console; pause, resume and stop. The run itself lives in
// a RunSession off the GUI thread. The charts are re-read only while the page is shown (once more
// when it is shown again), and a history that cannot be read is said in the status line. On a
// workspace of another host, runs start there, by that host's worker, from a config file of this
// machine (its data paths relative to that workspace), and the page reads the host's history
// about once a second; New Config… and the target list are for a workspace of this machine.
#pragma once

#include "core/proto/worker_target.h"
#include "core/store/run_catalog.h"
#include "ui/common/background_threads.h"
#include "ui/common/error_reporter.h"
#include "ui/train/stage_charts.h"

#include <QList>
#include <QWidget>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <utility>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTimer;

namespace strata::widgets {
class Heatmap;
class MetricChart;
}  // namespace strata::widgets

namespace strata::ui {

class ChartControls;
class RolloutInspector;
class RunConfigDialog;
class RunSession;

class TrainPage : public QWidget {
    Q_OBJECT

public:
    // `localCli` is the strata-cli that local workers run as.
    TrainPage(store::RunHistory& history, std::filesystem::path workspace,
              std::filesystem::path localCli, QWidget* parent = nullptr);
    // A workspace on another host, whose history `runs` reads (a proto::RemoteRunCatalog).
    TrainPage(store::RunCatalog& runs, proto::WorkerTarget remoteWorkspace,
              QWidget* parent = nullptr);
    ~TrainPage() override;

    // Starts the config in the form on the form's target; false (with the reason shown) when the
    // config or the target cannot be read. A failure later arrives as runEnded.
    bool startRun();
    void setConfigPath(const QString& path);
    QString configPath() const;
    // Opens New Config… for `stage` with `values` set (e.g. data.train); a saved config becomes
    // the page's config. Null (with the reason shown) when the history cannot be read.
    RunConfigDialog* openNewConfig(const QString& stage,
                                   const std::map<std::string, QString>& values = {});
    // Re-reads the saved targets (Settings ▸ Targets) into the target list.
    void listTargets();
    // The line under the buttons: the run's state, or why it did not start.
    QString statusText() const;
    // Shows a run of the history in the charts and the log console, live while it goes on
    // (whoever follows it: this page, another studio, `strata-cli attach`) and the page is shown.
    void showRun(int64_t runId);
    // The run the page shows (0 before the first start).
    int64_t runId() const { return m_runId; }
    // Whether the page is following a run that has not ended.
    bool runActive() const;
    // Asks the run to stop (it saves a checkpoint first).
    void stopRun();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

signals:
    // A run started or ended: the other pages' views of the history are stale.
    void historyChanged();
    // The run the page started has ended (`state` is a store::RunState), or could not start or
    // be followed (`state` is -1 and `message` says why).
    void runEnded(int state, const QString& message);

private:
    TrainPage(store::RunHistory* history, store::RunCatalog* runs,
              std::optional<proto::WorkerTarget> remoteWorkspace, std::filesystem::path workspace,
              std::filesystem::path localCli, QWidget* parent);
    // The shown run as the history has it now; on a remote workspace, listing it catches the
    // host's history up with its events first.
    store::RunRecord readShownRun();
    QList<widgets::MetricChart*> allCharts() const;
    void applyChartLook();
    // Lays out the charts of the shown run's stage and shows or hides its tabs. The reward's
    // parts are named by the run's metrics, so a run that has reported none is laid out again
    // once it has.
    void layoutStageCharts(const std::string& stage);
    void refreshCharts();
    void refreshRouterLoad();
    // Runs the refresh timer while a run is followed and the page is shown, else stops it.
    void updateRefreshTimer();
    void setRunning(bool running);
    void appendLog(const QString& line);

    store::RunHistory* m_history;  // a workspace of this machine's; null on a remote one
    std::unique_ptr<store::LocalRunCatalog> m_localRuns;  // over m_history
    store::RunCatalog& m_catalog;                         // what the page reads
    std::optional<proto::WorkerTarget> m_remoteWorkspace;
    std::filesystem::path m_workspace;  // this machine's, or empty
    std::filesystem::path m_localCli;
    QLineEdit* m_config;
    QLineEdit* m_name;
    QComboBox* m_target;
    QSpinBox* m_processes;  // ranks on each host
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_stop;
    QLabel* m_status;
    ChartControls* m_chartControls;
    widgets::MetricChart* m_lossChart;
    widgets::MetricChart* m_lrChart;
    widgets::MetricChart* m_gradChart;
    widgets::MetricChart* m_speedChart;
    QTabWidget* m_chartTabs;
    QWidget* m_stagePane;
    QList<std::pair<widgets::MetricChart*, StageChart>> m_stageCharts;
    bool m_stageChartsComplete = false;  // laid out knowing the run's metric keys
    RolloutInspector* m_inspector;
    QComboBox* m_routerLayer;
    widgets::Heatmap* m_routerLoad;
    QPlainTextEdit* m_log;
    QTimer* m_refresh;
    ErrorReporter m_errors;  // into the status line
    SessionPtr<RunSession> m_session;
    int64_t m_runId = 0;
    std::string m_runName;  // the shown run's, once read
    int64_t m_lastLogSeq = 0;
    bool m_following = false;  // the shown run may still change
};

}  // namespace strata::ui
