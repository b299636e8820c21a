#include "ui/train/train_page.h"

#include "core/proto/run_client.h"
#include "core/proto/worker_target.h"
#include "core/run/metric_keys.h"
#include "ui/charts/chart_controls.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/common/run_state_text.h"
#include "ui/targets/saved_targets.h"
#include "ui/train/rollout_inspector.h"
#include "ui/train/router_load.h"
#include "ui/train/run_config_dialog.h"
#include "ui/train/run_driver.h"
#include "ui/train/run_session.h"
#include "widgets/heatmap.h"
#include "widgets/metric_chart.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

// Charts repaint at most this often while a run streams (DESIGN: about 10 a second or less); a
// remote workspace's history is a round trip per chart away.
constexpr int kRefreshMilliseconds = 200;
constexpr int kRemoteRefreshMilliseconds = 1000;

widgets::MetricChart* makeChart(const QString& title, const char* objectName) {
    auto* chart = new widgets::MetricChart;
    chart->setObjectName(objectName);
    chart->setTitle(title);
    chart->setMinimumHeight(180);
    return chart;
}

}  // namespace

TrainPage::TrainPage(store::RunHistory& history, fs::path workspace, fs::path localCli,
                     QWidget* parent)
    : TrainPage(&history, nullptr, std::nullopt, std::move(workspace), std::move(localCli),
                parent) {}

TrainPage::TrainPage(store::RunCatalog& runs, proto::WorkerTarget remoteWorkspace, QWidget* parent)
    : TrainPage(nullptr, &runs, std::move(remoteWorkspace), {}, {}, parent) {}

TrainPage::TrainPage(store::RunHistory* history, store::RunCatalog* runs,
                     std::optional<proto::WorkerTarget> remoteWorkspace, fs::path workspace,
                     fs::path localCli, QWidget* parent)
    : QWidget(parent),
      m_history(history),
      m_localRuns(history ? std::make_unique<store::LocalRunCatalog>(*history, workspace)
                          : nullptr),
      m_catalog(runs ? *runs : *m_localRuns),
      m_remoteWorkspace(std::move(remoteWorkspace)),
      m_workspace(std::move(workspace)),
      m_localCli(std::move(localCli)),
      m_config(new QLineEdit),
      m_name(new QLineEdit),
      m_target(new QComboBox),
      m_processes(new QSpinBox),
      m_start(new QPushButton(tr("&Start"))),
      m_pause(new QPushButton(tr("&Pause"))),
      m_resume(new QPushButton(tr("Res&ume"))),
      m_stop(new QPushButton(tr("S&top"))),
      m_status(new QLabel),
      m_chartControls(new ChartControls("train")),
      m_lossChart(makeChart(tr("Loss"), "lossChart")),
      m_lrChart(makeChart(tr("Learning rate"), "lrChart")),
      m_gradChart(makeChart(tr("Gradient norm"), "gradChart")),
      m_speedChart(makeChart(tr("Tokens per second"), "speedChart")),
      m_chartTabs(new QTabWidget),
      m_stagePane(new QWidget),
      m_inspector(new RolloutInspector(m_catalog)),
      m_routerLayer(new QComboBox),
      m_routerLoad(new widgets::Heatmap),
      m_log(new QPlainTextEdit),
      m_refresh(new QTimer(this)),
      m_errors([this](const QString& message) { m_status->setText(message); }) {
    m_config->setObjectName("configPath");
    m_config->setPlaceholderText(tr("a run config (TOML), e.g. configs/pretrain.toml"));
    if (!m_remoteWorkspace) {
        QString sample =
            QString::fromStdString((m_workspace / "configs" / "pretrain.toml").string());
        if (QFile::exists(sample)) m_config->setText(sample);
    }
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        QString file = QFileDialog::getOpenFileName(this, tr("Run config"),
                                                    QString::fromStdString(m_workspace.string()),
                                                    tr("Run configs (*.toml)"));
        if (!file.isEmpty()) m_config->setText(file);
    });
    m_name->setObjectName("runName");
    m_name->setPlaceholderText(tr("default: the config's name"));
    m_target->setObjectName("target");
    m_target->setEditable(true);
    m_target->setToolTip(
        tr("local, a target from Settings ▸ Targets, ssh://[user@]host[:port] (keys and "
           "settings from ~/.ssh), or slurm://[user@]login-host[:port] (the run as a Slurm "
           "batch job); several SSH hosts, separated by commas, train one run across them"));
    listTargets();
    m_processes->setObjectName("processesPerHost");
    m_processes->setRange(1, 1024);
    m_processes->setToolTip(
        tr("Processes (ranks) on each host, one per GPU; pretraining splits its batches "
           "across them"));
    m_start->setObjectName("startButton");
    m_pause->setObjectName("pauseButton");
    m_resume->setObjectName("resumeButton");
    m_stop->setObjectName("stopButton");
    m_status->setObjectName("runStatus");
    m_log->setObjectName("logConsole");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_refresh->setObjectName("chartRefresh");

    auto* newConfig = new QPushButton(tr("New Config…"));
    newConfig->setObjectName("newConfigButton");
    newConfig->setToolTip(tr("A run config for any stage: SFT, reward model, DPO, PPO, GRPO"));
    connect(newConfig, &QPushButton::clicked, this, [this] { openNewConfig("sft"); });
    auto* configRow = new QHBoxLayout;
    configRow->addWidget(m_config, 1);
    configRow->addWidget(browse);
    configRow->addWidget(newConfig);
    auto* form = new QFormLayout;
    form->addRow(tr("Config"), configRow);
    form->addRow(tr("Name"), m_name);
    if (m_remoteWorkspace) {
        // The host's worker runs it in that workspace; its config's paths are the workspace's.
        newConfig->hide();
        m_target->setParent(this);
        m_target->hide();
        m_config->setPlaceholderText(
            tr("a run config (TOML) on this machine; its data paths are in the workspace on %1")
                .arg(QString::fromStdString(m_remoteWorkspace->name())));
    } else {
        form->addRow(tr("Target"), m_target);
    }
    form->addRow(tr("Processes per host"), m_processes);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_start, m_pause, m_resume, m_stop})
        buttons->addWidget(button);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_chartControls);
    auto* charts = new QWidget;
    auto* grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_lossChart, 0, 0);
    grid->addWidget(m_lrChart, 0, 1);
    grid->addWidget(m_gradChart, 1, 0);
    grid->addWidget(m_speedChart, 1, 1);
    m_routerLayer->setObjectName("routerLayer");
    m_routerLoad->setObjectName("routerLoad");
    m_routerLoad->setTitle(tr("Router load per expert (share of routed tokens)"));
    connect(m_routerLayer, &QComboBox::currentIndexChanged, this, &TrainPage::refreshRouterLoad);
    // The heatmap sits beside its layer choice, in a pane of its own that the splitter sizes.
    auto* router = new QWidget;
    auto* routerLayout = new QHBoxLayout(router);
    routerLayout->setContentsMargins(0, 0, 0, 0);
    auto* layerColumn = new QVBoxLayout;
    layerColumn->addWidget(new QLabel(tr("MoE layer")));
    layerColumn->addWidget(m_routerLayer);
    layerColumn->addStretch();
    routerLayout->addLayout(layerColumn);
    routerLayout->addWidget(m_routerLoad, 1);
    m_chartTabs->setObjectName("chartTabs");
    m_stagePane->setObjectName("stageCharts");
    m_inspector->setObjectName("rolloutInspector");
    new QGridLayout(m_stagePane);
    m_chartTabs->addTab(charts, tr("Training"));
    m_chartTabs->addTab(m_stagePane, tr("Stage metrics"));
    m_chartTabs->addTab(m_inspector, tr("Rollouts"));
    m_chartTabs->setTabVisible(1, false);
    m_chartTabs->setTabVisible(2, false);
    connect(m_chartTabs, &QTabWidget::currentChanged, this, &TrainPage::refreshCharts);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName("trainSplitter");
    splitter->addWidget(m_chartTabs);
    splitter->addWidget(router);
    splitter->addWidget(m_log);
    splitter->setStretchFactor(0, 6);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(m_start, &QPushButton::clicked, this, [this] { startRun(); });
    connect(m_refresh, &QTimer::timeout, this, &TrainPage::refreshCharts);
    applyChartLook();
    connect(m_chartControls, &ChartControls::lookChanged, this, &TrainPage::applyChartLook);
    connect(m_chartControls, &ChartControls::xAxisChanged, this, [this] {
        applyChartLook();
        for (widgets::MetricChart* chart : allCharts())
            chart->clearSeries();
        refreshCharts();
    });
    auto control = [this](proto::RequestKind kind) {
        if (m_session) m_session->control(kind);
    };
    connect(m_pause, &QPushButton::clicked, this, [=] { control(proto::RequestKind::Pause); });
    connect(m_resume, &QPushButton::clicked, this, [=] { control(proto::RequestKind::Resume); });
    connect(m_stop, &QPushButton::clicked, this, &TrainPage::stopRun);
    setRunning(false);
}

TrainPage::~TrainPage() = default;

void TrainPage::listTargets() {
    QString current = m_target->currentText();
    m_target->clear();
    m_target->addItem("local");
    for (const SavedTarget& saved : loadTargets())
        m_target->addItem(saved.name);
    m_target->setCurrentText(current.isEmpty() ? QString("local") : current);
}

void TrainPage::setConfigPath(const QString& path) {
    m_config->setText(path);
}

QString TrainPage::configPath() const {
    return m_config->text();
}

RunConfigDialog* TrainPage::openNewConfig(const QString& stage,
                                          const std::map<std::string, QString>& values) {
    std::vector<CheckpointChoice> checkpoints;
    if (!m_history) return nullptr;  // a remote workspace's configs are written on its host
    if (!m_errors.run([&] { checkpoints = listCheckpoints(*m_history, m_workspace); }))
        return nullptr;
    auto* dialog = new RunConfigDialog(std::move(checkpoints), m_workspace, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStage(stage);
    for (const auto& [key, value] : values)
        dialog->setValue(key, value);
    connect(dialog, &RunConfigDialog::saved, this, &TrainPage::setConfigPath);
    dialog->show();
    return dialog;
}

void TrainPage::showRun(int64_t runId) {
    m_runId = runId;
    m_lastLogSeq = 0;
    m_following = true;
    m_stageChartsComplete = false;
    m_log->clear();
    for (widgets::MetricChart* chart : allCharts())
        chart->clearSeries();
    m_routerLayer->clear();
    m_routerLoad->clear();
    // Should the history fail here, the refreshes lay the stage's charts out once it reads again.
    m_runName.clear();
    m_errors.run([&] {
        store::RunRecord run = m_catalog.run(runId);
        m_runName = run.name;
        layoutStageCharts(run.stage);
    });
    m_inspector->showRun(runId);
    refreshCharts();
    updateRefreshTimer();
}

void TrainPage::updateRefreshTimer() {
    if (m_following && isVisible())
        m_refresh->start(m_remoteWorkspace ? kRemoteRefreshMilliseconds : kRefreshMilliseconds);
    else
        m_refresh->stop();
}

void TrainPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_following) refreshCharts();
    updateRefreshTimer();
}

void TrainPage::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    m_refresh->stop();
}

QString TrainPage::statusText() const {
    return m_status->text();
}

bool TrainPage::startRun() {
    std::unique_ptr<RunDriver> driver;
    proto::RunSpec spec;
    if (!m_errors.run([&] {
            if (m_remoteWorkspace) {
                spec = proto::runSpecFromFile(m_config->text().toStdString(), false);
                driver = std::make_unique<WorkspaceRunDriver>(*m_remoteWorkspace);
                return;
            }
            std::vector<proto::WorkerTarget> hosts =
                resolveTargets(m_target->currentText(), m_localCli, m_workspace);
            spec = proto::runSpecFromFile(m_config->text().toStdString(),
                                          hosts.size() == 1 && hosts[0].isLocal());
            driver =
                std::make_unique<LocalRunDriver>(m_history->database().path(), std::move(hosts));
        }))
        return false;
    if (!m_name->text().isEmpty()) spec.name = m_name->text().toStdString();
    spec.numProcesses = m_processes->value();
    // A session before this one has ended; what it still sends finishes without the page.
    m_session = SessionPtr<RunSession>(new RunSession(std::move(driver)));
    connect(m_session.get(), &RunSession::started, this, [this](qint64 runId) {
        showRun(runId);
        m_errors.run([&] {
            std::string name = m_catalog.run(runId).name;
            spdlog::info("run {} started", name);
            m_status->setText(tr("Run %1 started").arg(QString::fromStdString(name)));
        });
        emit historyChanged();
    });
    connect(m_session.get(), &RunSession::ended, this, [this](int state) {
        refreshCharts();
        m_following = false;
        updateRefreshTimer();
        setRunning(false);
        m_errors.run([&] {
            spdlog::info("run {} ended: {}", m_catalog.run(m_runId).name,
                         store::runStateName(store::RunState(state)));
        });
        m_status->setText(tr("Run %1").arg(runStateText(store::RunState(state))));
        emit historyChanged();
        emit runEnded(state, m_status->text());
    });
    connect(m_session.get(), &RunSession::failed, this, [this](const QString& message) {
        spdlog::warn("{}", message.toStdString());
        appendLog(tr("error: %1").arg(message));
        m_status->setText(message);
        if (m_session->active()) return;
        setRunning(false);
        emit runEnded(-1, message);
    });
    connect(m_session.get(), &RunSession::notice, this, &TrainPage::appendLog);
    setRunning(true);
    m_status->setText(tr("Starting…"));
    m_session->start(spec);
    return true;
}

bool TrainPage::runActive() const {
    return m_session && m_session->active();
}

void TrainPage::stopRun() {
    if (runActive()) m_session->control(proto::RequestKind::Stop);
}

void TrainPage::setRunning(bool running) {
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_resume->setEnabled(running);
    m_stop->setEnabled(running);
}

void TrainPage::appendLog(const QString& line) {
    m_log->appendPlainText(line);
}

void TrainPage::refreshRouterLoad() {
    if (m_runId == 0) return;
    m_errors.run([this] {
        if (m_routerLayer->count() == 0) {
            QSignalBlocker quiet(m_routerLayer);
            for (int layer : routerLayers(m_catalog, m_runId))
                m_routerLayer->addItem(QString::number(layer), layer);
        }
        if (m_routerLayer->count() == 0) return;
        RouterLoad load = routerLoad(m_catalog, m_runId, m_routerLayer->currentData().toInt(),
                                     m_routerLoad->columnsWanted());
        m_routerLoad->setGrid(load.experts, load.shares, load.columns);
    });
}

QList<widgets::MetricChart*> TrainPage::allCharts() const {
    QList<widgets::MetricChart*> charts{m_lossChart, m_lrChart, m_gradChart, m_speedChart};
    for (const auto& [chart, spec] : m_stageCharts)
        charts.append(chart);
    return charts;
}

void TrainPage::applyChartLook() {
    for (widgets::MetricChart* chart : allCharts()) {
        chart->setLogScale(m_chartControls->logScale());
        chart->setSmoothing(m_chartControls->smoothing());
        chart->setAxisTitles(xAxisTitle(m_chartControls->xAxis()), QString());
    }
}

void TrainPage::layoutStageCharts(const std::string& stage) {
    for (const auto& [chart, spec] : m_stageCharts)
        delete chart;
    m_stageCharts.clear();
    std::vector<std::string> keys = m_catalog.metricKeys(m_runId);
    m_stageChartsComplete = !keys.empty();
    auto* grid = static_cast<QGridLayout*>(m_stagePane->layout());
    const QList<StageChart> specs = stageCharts(stage, keys);
    for (qsizetype i = 0; i < specs.size(); ++i) {
        widgets::MetricChart* chart =
            makeChart(specs[i].title, qPrintable(QString("stageChart%1").arg(i)));
        grid->addWidget(chart, int(i / 2), int(i % 2));
        m_stageCharts.append({chart, specs[i]});
    }
    applyChartLook();
    m_chartTabs->setTabVisible(1, !specs.isEmpty());
    m_chartTabs->setTabVisible(2, stage == "ppo" || stage == "grpo");
}

store::RunRecord TrainPage::readShownRun() {
    if (!m_remoteWorkspace) return m_catalog.run(m_runId);
    if (m_runName.empty()) m_runName = m_catalog.run(m_runId).name;
    store::RunFilter filter;
    filter.nameContains = m_runName;
    for (store::RunRecord& run : m_catalog.listRuns(filter))
        if (run.id == m_runId) return run;
    return m_catalog.run(m_runId);
}

void TrainPage::refreshCharts() {
    if (m_runId == 0) return;
    // The history may fail under the page (locked, corrupt, a run deleted elsewhere): the status
    // says so, and the next refresh tries again.
    m_errors.run([this] {
        store::RunRecord run = readShownRun();
        // Each chart gets all its series in one call, so it redraws once.
        auto plot = [this](widgets::MetricChart* chart,
                           const QList<std::pair<std::string, QString>>& keys) {
            QList<std::pair<QString, QList<QPointF>>> series;
            for (const auto& [key, name] : keys) {
                QList<QPointF> points = runSeriesPoints(
                    m_catalog, m_runId, key, m_chartControls->xAxis(), chart->plotWidth());
                if (!points.isEmpty()) series.append({name, points});
            }
            chart->setAllSeries(series);
        };
        plot(m_lossChart, {{run::kMetricLoss, tr("train")},
                           {run::validationKey(run::kMetricLoss), tr("validation")}});
        plot(m_lrChart, {{run::kMetricLr, tr("learning rate")}});
        plot(m_gradChart, {{run::kMetricGradNorm, tr("gradient norm")}});
        plot(m_speedChart, {{run::kMetricTokensPerSecond, tr("tokens/s")}});
        if (!m_stageChartsComplete && run.lastStep > 0) layoutStageCharts(run.stage);
        if (m_chartTabs->currentWidget() == m_stagePane)
            for (const auto& [chart, spec] : m_stageCharts)
                plot(chart, spec.series);
        if (m_chartTabs->currentWidget() == m_inspector) m_inspector->refresh();
        refreshRouterLoad();
        for (const store::LogRow& row : m_catalog.logs(m_runId, m_lastLogSeq, 1000)) {
            // Rank 0's lines are the run's; another rank's say which process they are from.
            const QString level = QString::fromStdString(row.level);
            const QString message = QString::fromStdString(row.message);
            appendLog(row.rank == 0
                          ? QString("[%1] %2").arg(level, message)
                          : QString("[%1] rank %2: %3").arg(level).arg(row.rank).arg(message));
            m_lastLogSeq = row.seq;
        }
        m_status->setText(tr("%1: %2, step %3")
                              .arg(QString::fromStdString(run.shownName()), runStateText(run.state))
                              .arg(run.lastStep));
        // A run followed elsewhere (another studio, `strata-cli attach`) is watched until it ends.
        if (!(m_session && m_session->active()) && store::hasEnded(run.state)) {
            m_following = false;
            updateRefreshTimer();
        }
    });
}

}  // namespace strata::ui
