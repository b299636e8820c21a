#include "ui/data/data_page.h"

#include "core/cleaning/clean_config.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/store/workspace_files.h"
#include "ui/common/workspace_file_dialog.h"
#include "ui/common/workspace_job.h"
#include "ui/data/funnel_steps.h"
#include "widgets/config_form.h"
#include "widgets/empty_state.h"
#include "widgets/funnel_chart.h"
#include "widgets/pair_compare.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

constexpr const char* kConfigHeader =
    "# Cleaning settings saved by the studio's Data page. Keys not here keep their defaults:\n"
    "# `strata-cli clean --print-default-config` lists every key with its documentation.\n";

QString text(const std::string& path) {
    return QString::fromStdString(path);
}

}  // namespace

DataPage::DataPage(const fs::path& workspace, const fs::path& localCli, QWidget* parent)
    : DataPage(std::make_shared<store::LocalWorkspaceFiles>(workspace),
               std::make_unique<LocalWorkspaceJob>(localCli), parent) {}

DataPage::DataPage(std::shared_ptr<store::WorkspaceFiles> files, std::unique_ptr<WorkspaceJob> job,
                   QWidget* parent)
    : QWidget(parent),
      m_files(std::move(files)),
      m_dataset(new QLineEdit),
      m_sources(new QListWidget),
      m_configPath(new QLineEdit),
      m_form(new widgets::ConfigForm(common::describeConfig(cleaning::defaultCleanConfigText()))),
      m_tabs(new QTabWidget),
      m_previewTable(new QTableWidget(0, 3)),
      m_beforeAfter(new widgets::PairCompare),
      m_funnel(new widgets::FunnelChart),
      m_previewButton(new QPushButton(tr("Pre&view"))),
      m_run(new QPushButton(tr("&Clean"))),
      m_progress(new QProgressBar),
      m_message(new QLabel),
      m_cleaning(job.release()),
      m_errors([this](const QString& message) { report(message); }) {
    m_cleaning->setParent(this);
    m_dataset->setObjectName("datasetName");
    m_sources->setObjectName("sources");
    m_configPath->setObjectName("cleanConfigPath");
    m_form->setObjectName("cleanForm");
    m_previewTable->setObjectName("previewTable");
    m_funnel->setObjectName("funnelChart");
    m_previewButton->setObjectName("previewButton");
    m_run->setObjectName("cleanButton");
    m_message->setObjectName("dataMessage");
    m_message->setWordWrap(true);
    m_funnel->setTitle(tr("Documents left after each stage"));
    m_beforeAfter->setTitles(tr("Before"), tr("After"));
    m_previewTable->setHorizontalHeaderLabels({tr("Document"), tr("Result"), tr("Text")});
    m_previewTable->horizontalHeader()->setStretchLastSection(true);
    m_previewTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_previewTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_previewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewTable->verticalHeader()->hide();

    auto* addFiles = new QPushButton(tr("Add &files…"));
    auto* addFolder = new QPushButton(tr("Add f&older…"));
    auto* remove = new QPushButton(tr("&Remove"));
    auto chooseFiles = [this] {
        for (const QString& file :
             chooseWorkspacePaths(this, *m_files, FileChoice::Files, tr("Add sources"),
                                  tr("Text (*.txt *.jsonl *.jsonl.zst *.html *.htm)")))
            addSource(file);
    };
    connect(addFiles, &QPushButton::clicked, this, chooseFiles);
    connect(addFolder, &QPushButton::clicked, this, [this] {
        for (const QString& folder :
             chooseWorkspacePaths(this, *m_files, FileChoice::Folder, tr("Add a folder")))
            addSource(folder);
    });
    connect(remove, &QPushButton::clicked, this, [this] { delete m_sources->currentItem(); });
    auto* sourceButtons = new QHBoxLayout;
    for (QPushButton* button : {addFiles, addFolder, remove})
        sourceButtons->addWidget(button);
    sourceButtons->addStretch();
    auto* sourcesBox = new QGroupBox(tr("Sources"));
    auto* sourcesLayout = new QVBoxLayout(sourcesBox);
    sourcesLayout->addWidget(m_sources);
    sourcesLayout->addLayout(sourceButtons);
    m_sources->setMaximumHeight(110);

    auto* load = new QPushButton(tr("&Load…"));
    connect(load, &QPushButton::clicked, this, [this] {
        for (const QString& file :
             chooseWorkspacePaths(this, *m_files, FileChoice::File, tr("Clean config"),
                                  tr("Clean configs (*.toml)")))
            loadConfig(file);
    });
    auto* configRow = new QHBoxLayout;
    configRow->addWidget(m_configPath, 1);
    configRow->addWidget(load);
    auto* names = new QFormLayout;
    names->addRow(tr("Dataset"), m_dataset);
    names->addRow(tr("Settings file"), configRow);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(names);
    leftLayout->addWidget(sourcesBox);
    leftLayout->addWidget(m_form, 1);

    auto* previewPane = new QSplitter(Qt::Vertical);
    previewPane->setObjectName("dataPreviewSplitter");
    previewPane->addWidget(m_previewTable);
    previewPane->addWidget(m_beforeAfter);
    m_tabs->addTab(previewPane, tr("Preview"));
    m_tabs->addTab(m_funnel, tr("Funnel"));
    m_empty = new widgets::EmptyState(
        m_tabs, tr("Nothing cleaned here yet"),
        tr("A dataset starts as raw text. Add files or folders under Sources, Preview to see what "
           "the cleaning settings keep and remove on sampled documents, then Clean to write the "
           "corpus; its funnel shows here."));
    m_empty->setObjectName("dataEmpty");
    connect(m_empty->addAction(tr("Add Files…")), &QPushButton::clicked, this, chooseFiles);
    connect(m_empty->addAction(tr("Preview")), &QPushButton::clicked, this, &DataPage::preview);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName("dataSplitter");
    splitter->addWidget(left);
    splitter->addWidget(m_empty);
    splitter->setStretchFactor(1, 2);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_previewButton);
    actions->addWidget(m_run);
    actions->addWidget(m_progress, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);
    layout->addWidget(m_message);

    connect(m_previewButton, &QPushButton::clicked, this, &DataPage::preview);
    connect(m_run, &QPushButton::clicked, this, &DataPage::runCleaning);
    connect(m_dataset, &QLineEdit::editingFinished, this, &DataPage::openDataset);
    connect(m_previewTable, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row < 0 || size_t(row) >= m_preview.size()) return;
        const cleaning::PreviewDocument& document = m_preview[size_t(row)];
        m_beforeAfter->setPair(
            m_previewTable->item(row, 0)->text() + " — " + m_previewTable->item(row, 1)->text(),
            QString::fromStdString(document.before), QString::fromStdString(document.after));
    });
    connect(m_cleaning, &WorkspaceJob::progress, m_progress, &QProgressBar::setValue);
    connect(m_cleaning, &WorkspaceJob::line, this, &DataPage::report);
    connect(m_cleaning, &WorkspaceJob::finished, this, [this](bool ok, const QString& lastLine) {
        m_run->setEnabled(true);
        if (ok && showFunnel(text(datasetFolder() + "/funnel.json"))) {
            m_progress->setValue(100);
            m_tabs->setCurrentWidget(m_funnel);
            report(tr("Cleaned into %1.").arg(text(datasetFolder() + "/clean.jsonl.zst")));
        } else {
            report(lastLine);
        }
        emit cleaningFinished(ok);
    });

    // A host's workspace is read when the page is first shown, not as the window opens.
    if (m_files->isLocal()) readWorkspace();
}

DataPage::~DataPage() = default;

void DataPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_workspaceRead) readWorkspace();
}

void DataPage::readWorkspace() {
    m_workspaceRead = true;
    m_errors.run([&] {
        m_dataset->setText(m_files->exists("datasets/sample") ? "sample" : "corpus");
        const std::string config = m_files->shownPath("configs/clean.toml");
        m_configPath->setText(text(config));
        if (m_files->exists(config)) loadConfig(text(config));
        openDataset();
    });
}

std::string DataPage::datasetFolder() const {
    return m_files->shownPath("datasets/" + m_dataset->text().trimmed().toStdString());
}

// A dataset remembers its sources (sources.txt) and shows its last funnel when chosen again.
void DataPage::openDataset() {
    const std::string list = datasetFolder() + "/sources.txt";
    std::string sources;
    if (m_errors.run([&] {
            if (m_files->exists(list)) sources = m_files->read(list);
        }) &&
        !sources.empty()) {
        m_sources->clear();
        for (const QByteArray& line : QByteArray::fromStdString(sources).split('\n'))
            if (!line.trimmed().isEmpty()) addSource(QString::fromUtf8(line.trimmed()));
    }
    if (showFunnel(text(datasetFolder() + "/funnel.json"))) {
        m_tabs->setCurrentWidget(m_funnel);
    } else {
        m_funnel->setSteps({});
        m_empty->setEmpty(m_preview.empty());
    }
}

void DataPage::addSource(const QString& path) {
    if (m_sources->findItems(path, Qt::MatchExactly).isEmpty()) m_sources->addItem(path);
}

QStringList DataPage::sources() const {
    QStringList paths;
    for (int row = 0; row < m_sources->count(); ++row)
        paths << m_sources->item(row)->text();
    return paths;
}

bool DataPage::loadConfig(const QString& path) {
    if (!m_errors.run([&] {
            const std::string bytes = m_files->read(path.toStdString());
            m_form->setValues(
                common::readConfigValues(m_form->schema(), bytes, path.toStdString()));
        }))
        return false;
    m_configPath->setText(path);
    report(tr("Loaded %1.").arg(path));
    return true;
}

std::string DataPage::configText() const {
    std::string text;
    readForm(text);
    return text;
}

cleaning::CleanConfig DataPage::readForm(std::string& text) const {
    text = common::writeConfigValues(m_form->schema(), m_form->values(), kConfigHeader);
    common::ConfigReader reader = common::ConfigReader::fromString(text, "the cleaning form");
    return cleaning::readCleanConfig(reader);
}

void DataPage::preview() {
    if (m_sampling) return;
    std::string config;
    try {
        readForm(config);
    } catch (const std::exception& error) {
        report(QString::fromUtf8(error.what()));
        return;
    }
    std::vector<std::string> inputs;
    for (const QString& source : sources())
        inputs.push_back(source.toStdString());
    if (inputs.empty()) {
        report(tr("Add a source (a file or a folder) first."));
        return;
    }
    auto documents = std::make_shared<std::vector<cleaning::PreviewDocument>>();
    auto failure = std::make_shared<QString>();
    m_sampling = SessionPtr<BackgroundTask>(new BackgroundTask);
    connect(m_sampling.get(), &BackgroundTask::finished, this, [this, documents, failure] {
        m_sampling.reset();
        m_previewButton->setEnabled(true);
        if (!failure->isEmpty()) {
            m_errors.report(*failure);
            return;
        }
        showPreview(*documents);
        emit previewReady(int(documents->size()));
    });
    m_previewButton->setEnabled(false);
    report(tr("Sampling the sources…"));
    m_sampling->start([files = m_files, config, inputs, documents, failure] {
        try {
            *documents = files->previewCleaning(config, inputs);
        } catch (const std::exception& error) {
            *failure = QString::fromUtf8(error.what());
        }
    });
}

void DataPage::showPreview(const std::vector<cleaning::PreviewDocument>& documents) {
    m_preview = documents;
    m_previewTable->setRowCount(0);
    m_previewTable->setRowCount(int(documents.size()));
    int removed = 0;
    for (int row = 0; row < int(documents.size()); ++row) {
        const cleaning::PreviewDocument& document = documents[size_t(row)];
        QString where = QString::fromStdString(fs::path(document.source).filename().string());
        if (document.line > 0) where += QString(":%1").arg(document.line);
        bool kept = document.reason == cleaning::RejectReason::Kept;
        removed += !kept;
        auto* result = new QTableWidgetItem(
            kept ? tr("kept")
                 : tr("removed: %1")
                       .arg(QString::fromUtf8(cleaning::rejectReasonName(document.reason).data())));
        if (!kept) result->setForeground(palette().color(QPalette::Link));
        m_previewTable->setItem(row, 0, new QTableWidgetItem(where));
        m_previewTable->setItem(row, 1, result);
        m_previewTable->setItem(
            row, 2,
            new QTableWidgetItem(QString::fromStdString(document.before).simplified().left(160)));
    }
    m_previewTable->resizeColumnsToContents();
    m_empty->setEmpty(false);
    m_tabs->setCurrentIndex(0);
    if (!documents.empty()) m_previewTable->selectRow(0);
    report(tr("Preview: %1 of %2 sampled documents would be removed (dedup is decided over the "
              "whole corpus when cleaning).")
               .arg(removed)
               .arg(documents.size()));
}

void DataPage::runCleaning() {
    if (running()) return;
    if (!common::isPlainName(m_dataset->text().trimmed().toStdString())) {
        report(tr("The dataset needs a name (letters, digits, '.', '_' and '-')."));
        return;
    }
    if (sources().isEmpty()) {
        report(tr("Add a source (a file or a folder) first."));
        return;
    }
    proto::JobSpec spec;
    spec.kind = proto::JobSpec::Kind::Clean;
    for (const QString& source : sources())
        spec.inputs.push_back(source.toStdString());
    spec.output = datasetFolder();
    spec.config = m_configPath->text().trimmed().toStdString();
    if (!m_errors.run([&] {
            m_files->write(spec.config, configText());
            m_files->write(spec.output + "/sources.txt",
                           (sources().join('\n') + '\n').toStdString());
        }))
        return;
    m_run->setEnabled(false);
    m_progress->setValue(0);
    report(tr("Cleaning into %1…").arg(text(spec.output)));
    m_cleaning->start(spec);
}

bool DataPage::running() const {
    return m_cleaning->running();
}

void DataPage::cancelCleaning() {
    m_cleaning->cancel();
}

void DataPage::setDataset(const QString& name) {
    m_dataset->setText(name);
    openDataset();
}

bool DataPage::showFunnel(const QString& reportPath) {
    std::string bytes;
    try {
        if (!m_files->exists(reportPath.toStdString())) return false;
        bytes = m_files->read(reportPath.toStdString());
    } catch (const std::exception& error) {
        report(QString::fromUtf8(error.what()));
        return false;
    }
    QJsonDocument report = QJsonDocument::fromJson(QByteArray::fromStdString(bytes));
    if (!report.isObject()) return false;
    m_funnel->setSteps(funnelSteps(report.object()));
    m_empty->setEmpty(false);
    return true;
}

QString DataPage::message() const {
    return m_message->text();
}

void DataPage::report(const QString& message) {
    m_message->setText(message);
}

}  // namespace strata::ui
