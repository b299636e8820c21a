#include "ui/runs/runs_page.h"

#include "core/run/metric_keys.h"
#include "ui/charts/chart_controls.h"
#include "ui/common/icons.h"
#include "ui/common/run_state_text.h"
#include "ui/runs/run_comments_pane.h"
#include "ui/runs/run_groups.h"
#include "ui/runs/run_report.h"
#include "ui/runs/run_table_model.h"
#include "widgets/empty_state.h"
#include "widgets/metric_chart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <set>

namespace strata::ui {

RunsPage::RunsPage(store::RunCatalog& runs, QWidget* parent)
    : QWidget(parent),
      m_catalog(runs),
      m_model(new RunTableModel(runs, this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit),
      m_table(new QTableView),
      m_metric(new QComboBox),
      m_groupBy(new QComboBox),
      m_groupKey(new QLineEdit),
      m_baseline(new QComboBox),
      m_chartControls(new ChartControls("runs")),
      m_chart(new widgets::MetricChart),
      m_tabs(new QTabWidget),
      m_diff(new QPlainTextEdit),
      m_diffAllKeys(new QCheckBox(tr("Show all keys"))),
      m_lineage(new QTreeWidget),
      m_title(new QLineEdit),
      m_tags(new QLineEdit),
      m_notes(new QPlainTextEdit),
      m_save(new QPushButton(tr("Sa&ve"))),
      m_exportModel(new QPushButton(tr("Export &Model…"))),
      m_message(new QLabel),
      m_errors([this](const QString& message) { report(message); }),
      m_comments(new RunCommentsPane(runs, m_errors)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);  // any column: name, stage, state, host, tags, notes
    m_filter->setPlaceholderText(tr("Filter runs by name, stage, state, target, tag or note"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setObjectName("runFilter");
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_table->setObjectName("runTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunTableModel::Created, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(RunTableModel::Name,
                                                      QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPage::selectionChanged);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        emit runActivated(index.data(RunTableModel::RunIdRole).toLongLong());
    });

    m_metric->setObjectName("metricChoice");
    m_metric->setMinimumContentsLength(16);
    connect(m_metric, &QComboBox::currentTextChanged, this, &RunsPage::plotSelected);
    m_groupBy->setObjectName("groupBy");
    m_groupBy->addItem(tr("each run"), QString());
    m_groupBy->addItem(tr("tag"), QString("tag"));
    m_groupBy->addItem(tr("config key"), QString("key"));
    m_groupBy->setToolTip(
        tr("One line a run, or one a group: its mean, with a band from its lowest to its highest "
           "run"));
    m_groupKey->setObjectName("groupKey");
    m_groupKey->setPlaceholderText(tr("optim.lr"));
    m_groupKey->setVisible(false);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, [this] {
        m_groupKey->setVisible(m_groupBy->currentData() == "key");
        plotSelected();
    });
    connect(m_groupKey, &QLineEdit::editingFinished, this, &RunsPage::plotSelected);
    m_baseline->setObjectName("baseline");
    m_baseline->setToolTip(tr("Draw every other run as its difference from this one"));
    connect(m_baseline, &QComboBox::currentIndexChanged, this, &RunsPage::plotSelected);
    connect(m_chartControls, &ChartControls::xAxisChanged, this, &RunsPage::plotSelected);
    connect(m_chartControls, &ChartControls::lookChanged, this, [this] {
        m_chart->setLogScale(m_chartControls->logScale());
        m_chart->setSmoothing(m_chartControls->smoothing());
    });
    m_chart->setObjectName("overlayChart");
    m_chart->setLogScale(m_chartControls->logScale());
    m_chart->setSmoothing(m_chartControls->smoothing());
    m_diff->setObjectName("configDiff");
    m_diff->setReadOnly(true);
    m_diff->setPlaceholderText(tr("Select two runs to compare their configs key by key."));

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Metric")));
    controls->addWidget(m_metric);
    controls->addWidget(new QLabel(tr("Group by")));
    controls->addWidget(m_groupBy);
    controls->addWidget(m_groupKey);
    controls->addWidget(new QLabel(tr("Baseline")));
    controls->addWidget(m_baseline);
    controls->addWidget(m_chartControls);
    controls->addStretch();
    auto* chartPane = new QWidget;
    auto* chartLayout = new QVBoxLayout(chartPane);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addLayout(controls);
    chartLayout->addWidget(m_chart, 1);

    m_lineage->setObjectName("lineage");
    m_lineage->setHeaderLabels({tr("Lineage"), tr("Details")});
    m_lineage->setColumnCount(2);
    m_title->setObjectName("runTitle");
    m_title->setPlaceholderText(tr("a title for people; the run's name stays"));
    m_tags->setObjectName("runTags");
    m_tags->setPlaceholderText(tr("tags, separated by commas"));
    m_notes->setObjectName("runNotes");
    m_save->setObjectName("saveDetails");
    m_message->setObjectName("runsMessage");
    m_message->setWordWrap(true);
    connect(m_save, &QPushButton::clicked, this, &RunsPage::saveDetails);
    auto* details = new QWidget;
    auto* detailsForm = new QFormLayout(details);
    detailsForm->addRow(tr("Title"), m_title);
    detailsForm->addRow(tr("Tags"), m_tags);
    detailsForm->addRow(tr("Notes"), m_notes);
    detailsForm->addRow(QString(), m_save);
    m_tabs->setObjectName("runTabs");
    m_diffAllKeys->setObjectName("diffAllKeys");
    m_diffAllKeys->setToolTip(tr("List the keys both runs set alike as well (key = value)"));
    connect(m_diffAllKeys, &QCheckBox::toggled, this, &RunsPage::showDiff);
    auto* diffPane = new QWidget;
    auto* diffLayout = new QVBoxLayout(diffPane);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->addWidget(m_diffAllKeys);
    diffLayout->addWidget(m_diff, 1);
    m_tabs->addTab(diffPane, tr("Config diff"));
    m_tabs->addTab(m_lineage, tr("Lineage"));
    m_tabs->addTab(details, tr("Details"));
    m_tabs->addTab(m_comments, tr("Comments"));

    auto* exportCsv = new QPushButton(tr("E&xport CSV…"));
    exportCsv->setToolTip(tr("Every metric of the selected runs, one CSV file per run"));
    connect(exportCsv, &QPushButton::clicked, this, [this] {
        QString folder = QFileDialog::getExistingDirectory(this, tr("Export the metrics into"));
        if (!folder.isEmpty()) exportSelected(folder);
    });
    m_exportModel->setObjectName("exportModel");
    m_exportModel->setToolTip(
        tr("Export the selected run's latest checkpoint as a Hugging Face folder or a GGUF file"));
    m_exportModel->setIcon(studioIcon(StudioIcon::Export));
    m_exportModel->setEnabled(false);
    connect(m_exportModel, &QPushButton::clicked, this, [this] {
        QList<int64_t> runs = selectedRuns();
        if (runs.size() == 1) emit exportRequested(runs.front());
    });
    auto* report = new QPushButton(tr("Save &Report…"));
    report->setObjectName("saveReport");
    report->setToolTip(
        tr("The selected runs as one HTML file that opens in any browser: charts, config "
           "differences, notes, comments and lineage"));
    connect(report, &QPushButton::clicked, this, &RunsPage::chooseReport);
    auto* remove = new QPushButton(tr("&Delete…"));
    remove->setObjectName("deleteRuns");
    remove->setShortcut(QKeySequence::Delete);
    connect(remove, &QPushButton::clicked, this, [this] { deleteSelected(true); });
    if (!m_catalog.isLocal()) {
        // The host's run folders would bring a deleted run back, and its checkpoints are there.
        remove->setEnabled(false);
        remove->setToolTip(
            tr("Runs are deleted on a workspace of this machine: open this "
               "workspace on its host to delete them"));
        m_exportModel->setToolTip(
            tr("Models are exported on a workspace of this machine: run "
               "strata-cli export on the host"));
    }
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_filter, 1);
    actions->addWidget(m_exportModel);
    actions->addWidget(exportCsv);
    actions->addWidget(report);
    actions->addWidget(remove);

    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->setObjectName("runsDetailSplitter");
    bottom->addWidget(chartPane);
    bottom->addWidget(m_tabs);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto* tablePane = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(actions);
    tableLayout->addWidget(m_table);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName("runsSplitter");
    splitter->addWidget(tablePane);
    splitter->addWidget(bottom);
    m_empty = new widgets::EmptyState(
        splitter, tr("No runs yet"),
        tr("Every training run, started on the Train page, from the Home page's samples or with "
           "strata-cli, is recorded here with its metrics, checkpoints and config, to compare "
           "runs and review them."));
    m_empty->setObjectName("runsEmpty");
    if (m_catalog.isLocal())
        connect(m_empty->addAction(tr("Open the Pipeline")), &QPushButton::clicked, this,
                &RunsPage::pipelineRequested);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_message);
    // A remote workspace's history is read when the page is first shown, not as the window opens.
    if (m_catalog.isLocal()) reload();
}

void RunsPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reload();
}

void RunsPage::reload() {
    m_errors.run([this] {
        QList<int64_t> selected = selectedRuns();
        const QStringList charted = m_model->chartedState(selected);
        {
            // The same runs selected again are no new selection: the diff, lineage and details
            // (where someone may be typing) stay; only the chart takes the new points.
            QSignalBlocker block(m_table->selectionModel());
            m_model->reload();
            selectRuns(selected);
        }
        m_table->viewport()->update();
        QList<int64_t> now = selectedRuns();
        if (QSet<int64_t>(now.begin(), now.end()) !=
            QSet<int64_t>(selected.begin(), selected.end()))
            selectionChanged();
        else if (m_model->chartedState(now) != charted)  // runs that ended draw nothing new
            plotSelected();
    });
    m_empty->setEmpty(m_model->rowCount() == 0);
}

void RunsPage::selectRuns(const QList<int64_t>& runIds) {
    QItemSelection selection;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        QModelIndex index = m_proxy->index(row, 0);
        if (runIds.contains(index.data(RunTableModel::RunIdRole).toLongLong()))
            selection.select(index, m_proxy->index(row, RunTableModel::NumColumns - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

QList<int64_t> RunsPage::selectedRuns() const {
    QList<int64_t> ids;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        ids << index.data(RunTableModel::RunIdRole).toLongLong();
    return ids;
}

void RunsPage::selectionChanged() {
    m_exportModel->setEnabled(selectedRuns().size() == 1 && m_catalog.isLocal());
    m_errors.run([this] {
        // The metric list is what every selected run has: an overlay compares like with like.
        std::set<std::string> shared;
        bool first = true;
        for (int64_t runId : selectedRuns()) {
            std::vector<std::string> keys = m_catalog.metricKeys(runId);
            std::set<std::string> these(keys.begin(), keys.end());
            if (first) {
                shared = these;
                first = false;
            } else {
                std::set<std::string> both;
                for (const std::string& key : shared)
                    if (these.count(key)) both.insert(key);
                shared = both;
            }
        }
        QString current = m_metric->currentText();
        {
            QSignalBlocker block(m_metric);
            m_metric->clear();
            for (const std::string& key : shared)
                m_metric->addItem(QString::fromStdString(key));
            int keep = m_metric->findText(current.isEmpty() ? QString(run::kMetricLoss) : current);
            m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
        }
        listBaselines();
        plotSelected();
        showDiff();
        showLineage();
        showDetails();
        const QList<int64_t> runs = selectedRuns();
        m_comments->showRun(runs.size() == 1 ? std::optional<int64_t>(runs[0]) : std::nullopt);
        if (runs.size() == 2) m_tabs->setCurrentIndex(0);
    });
}

void RunsPage::chooseReport() {
    if (selectedRuns().isEmpty()) {
        report(tr("Select the runs to report on."));
        return;
    }
    // Which charts: the metrics the selected runs share, the one shown checked.
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Save Report"));
    auto* metrics = new QListWidget;
    for (int i = 0; i < m_metric->count(); ++i) {
        auto* item = new QListWidgetItem(m_metric->itemText(i), metrics);
        item->setCheckState(i == m_metric->currentIndex() ? Qt::Checked : Qt::Unchecked);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Charts in the report:")));
    layout->addWidget(metrics);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    QStringList chosen;
    for (int i = 0; i < metrics->count(); ++i)
        if (metrics->item(i)->checkState() == Qt::Checked) chosen << metrics->item(i)->text();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the report"), "report.html",
                                                      tr("HTML files (*.html)"));
    if (!path.isEmpty()) saveReport(path, chosen);
}

bool RunsPage::saveReport(const QString& path, const QStringList& metrics) {
    if (!m_errors.run([&] { saveRunReport(m_catalog, selectedRuns(), metrics, path); }))
        return false;
    report(tr("Saved the report in %1.").arg(path));
    return true;
}

void RunsPage::listBaselines() {
    const qint64 current = m_baseline->currentData().toLongLong();
    QSignalBlocker quiet(m_baseline);
    m_baseline->clear();
    m_baseline->addItem(tr("none"), qint64(0));
    m_errors.run([&] {
        for (int64_t runId : selectedRuns())
            m_baseline->addItem(QString::fromStdString(m_catalog.run(runId).shownName()),
                                qint64(runId));
    });
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findData(current)));
}

void RunsPage::plotSelected() {
    const std::string key = m_metric->currentText().toStdString();
    const int64_t baseline = m_baseline->currentData().toLongLong();
    const QString grouping = m_groupBy->currentData().toString();
    QList<std::pair<QString, QList<QPointF>>> series;
    QList<std::pair<QString, SeriesBand>> bands;
    QString title = m_metric->currentText();
    if (!m_errors.run([&] {
            if (key.empty()) return;
            auto pointsOf = [&](int64_t runId) {
                return runSeriesPoints(m_catalog, runId, key, m_chartControls->xAxis(),
                                       m_chart->plotWidth());
            };
            QList<QPointF> basePoints;
            if (baseline != 0) {
                basePoints = pointsOf(baseline);
                title =
                    tr("%1, difference from %2")
                        .arg(title, QString::fromStdString(m_catalog.run(baseline).shownName()));
            }
            auto drawn = [&](int64_t runId) {
                return baseline != 0 ? differenceFrom(pointsOf(runId), basePoints)
                                     : pointsOf(runId);
            };
            std::vector<store::RunRecord> runs;
            for (int64_t runId : selectedRuns())
                if (runId != baseline) runs.push_back(m_catalog.run(runId));
            if (grouping.isEmpty()) {
                for (const store::RunRecord& run : runs)
                    series.append({QString::fromStdString(run.shownName()), drawn(run.id)});
                return;
            }
            const QList<RunGroup> groups =
                grouping == "tag"
                    ? groupRunsByTag(runs)
                    : groupRunsByConfigKey(runs, m_groupKey->text().trimmed().toStdString());
            for (const RunGroup& group : groups) {
                QList<QList<QPointF>> members;
                for (int64_t runId : group.runIds)
                    members.append(drawn(runId));
                const QString name =
                    tr("%1 (%n run(s))", "", int(group.runIds.size())).arg(group.name);
                SeriesBand band = bandOf(members);
                series.append({name, band.mean});
                bands.append({name, std::move(band)});
            }
        }))
        return;  // the chart keeps what it had
    m_chart->setTitle(title);
    m_chart->setAxisTitles(xAxisTitle(m_chartControls->xAxis()), QString());
    m_chart->setAllSeries(series);
    for (const auto& [name, band] : bands)
        m_chart->setBand(name, band.lower, band.upper);
}

void RunsPage::showDiff() {
    QList<int64_t> runs = selectedRuns();
    if (runs.size() != 2) {
        m_diff->clear();
        return;
    }
    std::sort(runs.begin(), runs.end());
    m_errors.run([&] {
        store::RunRecord left = m_catalog.run(runs[0]);
        store::RunRecord right = m_catalog.run(runs[1]);
        QStringList lines{tr("%1  →  %2")
                              .arg(QString::fromStdString(left.shownName()),
                                   QString::fromStdString(right.shownName()))};
        std::vector<store::ConfigDifference> differences =
            m_catalog.diffConfigs(runs[0], runs[1], m_diffAllKeys->isChecked());
        bool anyDifferent = std::any_of(differences.begin(), differences.end(),
                                        [](const store::ConfigDifference& d) { return !d.same(); });
        if (!anyDifferent) lines << tr("The configs are the same.");
        for (const store::ConfigDifference& difference : differences)
            if (difference.same())
                lines << QString("%1 = %2").arg(QString::fromStdString(difference.key),
                                                QString::fromStdString(difference.left));
            else
                lines << QString("%1: %2  →  %3")
                             .arg(QString::fromStdString(difference.key),
                                  difference.left.empty() ? tr("(absent)")
                                                          : QString::fromStdString(difference.left),
                                  difference.right.empty()
                                      ? tr("(absent)")
                                      : QString::fromStdString(difference.right));
        m_diff->setPlainText(lines.join('\n'));
    });
}

namespace {

void addLineage(QTreeWidgetItem* parent, const store::LineageItem& item) {
    auto* node = new QTreeWidgetItem(
        parent, {QString("%1: %2").arg(QString::fromUtf8(store::lineageKindName(item.kind)),
                                       QString::fromStdString(item.label)),
                 QString::fromStdString(item.detail)});
    node->setToolTip(0, QString::fromStdString(item.label));
    node->setToolTip(1, QString::fromStdString(item.detail));
    for (const store::LineageItem& input : item.inputs)
        addLineage(node, input);
}

}  // namespace

void RunsPage::showLineage() {
    m_lineage->clear();
    QList<int64_t> runs = selectedRuns();
    if (runs.size() != 1) return;
    m_errors.run([&] {
        addLineage(m_lineage->invisibleRootItem(), m_catalog.lineage(runs[0]));
        m_lineage->expandAll();
        m_lineage->resizeColumnToContents(0);
    });
}

void RunsPage::showDetails() {
    QList<int64_t> runs = selectedRuns();
    bool one = runs.size() == 1;
    for (QWidget* field : {static_cast<QWidget*>(m_title), static_cast<QWidget*>(m_tags),
                           static_cast<QWidget*>(m_notes), static_cast<QWidget*>(m_save)})
        field->setEnabled(one);
    if (!one) {
        m_title->clear();
        m_tags->clear();
        m_notes->clear();
        return;
    }
    store::RunRecord run;
    if (!m_errors.run([&] { run = m_catalog.run(runs[0]); })) return;
    m_title->setText(QString::fromStdString(run.title));
    QStringList tags;
    for (const std::string& tag : run.tags)
        tags << QString::fromStdString(tag);
    m_tags->setText(tags.join(", "));
    m_notes->setPlainText(QString::fromStdString(run.notes));
}

void RunsPage::saveDetails() {
    QList<int64_t> runs = selectedRuns();
    if (runs.size() != 1) return;
    store::RunDetails details{
        m_title->text().trimmed().toStdString(), {}, m_notes->toPlainText().toStdString()};
    for (const QString& tag : m_tags->text().split(',', Qt::SkipEmptyParts))
        if (!tag.trimmed().isEmpty()) details.tags.push_back(tag.trimmed().toStdString());
    if (!m_errors.run([&] { m_catalog.setDetails(runs[0], details); })) return;
    report(tr("Saved."));
    reload();
    showLineage();  // it names the run by its new title
}

bool RunsPage::exportSelected(const QString& folder) {
    int written = 0;
    if (!m_errors.run([&] {
            for (int64_t runId : selectedRuns()) {
                std::string name = m_catalog.run(runId).name;
                m_catalog.exportMetricsCsv(
                    runId, std::filesystem::path(folder.toStdString()) / (name + ".csv"));
                ++written;
            }
        }))
        return false;
    report(tr("Exported %n run(s) to %1.", "", written).arg(folder));
    return true;
}

void RunsPage::deleteSelected(bool ask) {
    QList<int64_t> runs = selectedRuns();
    if (runs.isEmpty() || !m_catalog.isLocal()) return;
    std::vector<store::RunRecord> records;
    if (!m_errors.run([&] {
            for (int64_t runId : runs)
                records.push_back(m_catalog.run(runId));
        }))
        return;
    QStringList names;
    for (const store::RunRecord& run : records) {
        // Its events would keep arriving for a run that is gone; it has to end first.
        if (!store::hasEnded(run.state)) {
            report(tr("%1 is still %2: stop it before deleting it.")
                       .arg(QString::fromStdString(run.shownName()), runStateText(run.state)));
            return;
        }
        names << QString::fromStdString(run.shownName());
    }
    if (ask &&
        QMessageBox::question(
            this, tr("Delete runs"),
            tr("Delete %n run(s) from the history: %1? Their metrics, logs and notes go; their run "
               "folders stay on disk.",
               "", int(runs.size()))
                .arg(names.join(", ")),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    const bool deleted = m_errors.run([&] {
        for (int64_t runId : runs)
            m_catalog.deleteRun(runId);
    });
    reload();
    selectionChanged();
    if (deleted) report(tr("Deleted %1.").arg(names.join(", ")));
}

QString RunsPage::message() const {
    return m_message->text();
}

void RunsPage::report(const QString& message) {
    m_message->setText(message);
}

}  // namespace strata::ui
