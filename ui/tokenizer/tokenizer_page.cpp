#include "ui/tokenizer/tokenizer_page.h"

#include "core/common/workspace_paths.h"
#include "core/store/workspace_files.h"
#include "core/tokenizer/tokenizer_json.h"
#include "ui/common/workspace_file_dialog.h"
#include "ui/common/workspace_job.h"
#include "ui/tokenizer/vocabulary_model.h"
#include "widgets/empty_state.h"
#include "widgets/token_view.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace strata::ui {

namespace fs = std::filesystem;

TokenizerPage::TokenizerPage(const fs::path& workspace, const fs::path& localCli, QWidget* parent)
    : TokenizerPage(std::make_shared<store::LocalWorkspaceFiles>(workspace),
                    std::make_unique<LocalWorkspaceJob>(localCli), parent) {}

TokenizerPage::TokenizerPage(std::shared_ptr<store::WorkspaceFiles> files,
                             std::unique_ptr<WorkspaceJob> job, QWidget* parent)
    : QWidget(parent),
      m_files(std::move(files)),
      m_chooser(new QComboBox),
      m_input(new QPlainTextEdit),
      m_view(new widgets::TokenView),
      m_ids(new QLineEdit),
      m_stats(new QLabel),
      m_message(new QLabel),
      m_vocabulary(new VocabularyModel(this)),
      m_vocabularyFilter(new QSortFilterProxyModel(this)),
      m_trainInput(new QLineEdit),
      m_trainName(new QLineEdit),
      m_vocabSize(new QSpinBox),
      m_train(new QPushButton(tr("Train"))),
      m_training(job.release()),
      m_errors([this](const QString& message) { report(message); }) {
    m_training->setParent(this);
    m_chooser->setObjectName("tokenizerChoice");
    m_chooser->setMinimumContentsLength(30);
    connect(m_chooser, &QComboBox::activated, this,
            [this](int index) { loadTokenizer(m_chooser->itemData(index).toString()); });
    auto* browse = new QPushButton(tr("Open…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        for (const QString& path :
             chooseWorkspacePaths(this, *m_files, FileChoice::File, tr("Open a tokenizer"),
                                  tr("Tokenizers (tokenizer.json *.json)")))
            loadTokenizer(path);
    });
    auto* import = new QPushButton(tr("Import…"));
    auto chooseImport = [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Import a Hugging Face tokenizer"), {},
                                                    tr("Tokenizers (tokenizer.json *.json)"));
        if (path.isEmpty()) return;
        QString name = QInputDialog::getText(this, tr("Import"), tr("Name in this workspace"));
        if (!name.isEmpty()) importTokenizer(path, name);
    };
    connect(import, &QPushButton::clicked, this, chooseImport);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Tokenizer")));
    top->addWidget(m_chooser, 1);
    top->addWidget(browse);
    top->addWidget(import);

    m_input->setObjectName("text");
    m_input->setPlaceholderText(tr("Type or paste text to see its tokens"));
    connect(m_input, &QPlainTextEdit::textChanged, this, &TokenizerPage::retokenize);
    m_view->setObjectName("tokens");
    m_ids->setObjectName("ids");
    m_ids->setReadOnly(true);
    m_stats->setObjectName("stats");
    m_message->setObjectName("message");
    m_message->setWordWrap(true);
    auto* inspect = new QWidget;
    auto* inspectLayout = new QVBoxLayout(inspect);
    inspectLayout->addWidget(m_input, 1);
    inspectLayout->addWidget(m_view, 2);
    inspectLayout->addWidget(m_ids);
    inspectLayout->addWidget(m_stats);

    auto* vocabularyTable = new QTableView;
    vocabularyTable->setObjectName("vocabulary");
    m_vocabularyFilter->setSourceModel(m_vocabulary);
    m_vocabularyFilter->setFilterKeyColumn(VocabularyModel::Token);
    m_vocabularyFilter->setSortRole(VocabularyModel::SortRole);
    vocabularyTable->setModel(m_vocabularyFilter);
    vocabularyTable->setSortingEnabled(true);
    vocabularyTable->sortByColumn(VocabularyModel::Id, Qt::AscendingOrder);
    vocabularyTable->verticalHeader()->hide();
    vocabularyTable->horizontalHeader()->setStretchLastSection(true);
    auto* vocabularySearch = new QLineEdit;
    vocabularySearch->setObjectName("vocabularySearch");
    vocabularySearch->setPlaceholderText(tr("Find tokens containing…"));
    connect(vocabularySearch, &QLineEdit::textChanged, m_vocabularyFilter,
            &QSortFilterProxyModel::setFilterFixedString);
    auto* browseVocabulary = new QWidget;
    auto* vocabularyLayout = new QVBoxLayout(browseVocabulary);
    vocabularyLayout->addWidget(vocabularySearch);
    vocabularyLayout->addWidget(vocabularyTable, 1);

    m_trainInput->setObjectName("trainInput");
    m_trainInput->setPlaceholderText(
        tr("a corpus: .txt, .jsonl, .jsonl.zst, .html files or a folder"));
    m_trainName->setObjectName("trainName");
    m_vocabSize->setObjectName("vocabSize");
    m_vocabSize->setRange(260, 1 << 20);
    m_vocabSize->setValue(32000);
    m_train->setObjectName("trainButton");
    connect(m_train, &QPushButton::clicked, this, [this] {
        trainTokenizer(m_trainInput->text(), m_trainName->text(), m_vocabSize->value());
    });
    auto* trainForm = new QFormLayout;
    trainForm->addRow(tr("Corpus"), m_trainInput);
    trainForm->addRow(tr("Name"), m_trainName);
    trainForm->addRow(tr("Vocabulary size"), m_vocabSize);
    trainForm->addRow(QString(), m_train);
    auto* trainPane = new QWidget;
    auto* trainLayout = new QVBoxLayout(trainPane);
    trainLayout->addLayout(trainForm);
    trainLayout->addStretch();

    auto* tabs = new QTabWidget;
    tabs->addTab(inspect, tr("Inspect"));
    tabs->addTab(browseVocabulary, tr("Vocabulary"));
    tabs->addTab(trainPane, tr("Train"));
    m_empty = new widgets::EmptyState(
        tabs, tr("No tokenizer in this workspace yet"),
        tr("A tokenizer turns text into the token ids a model reads and writes. Train one on a "
           "cleaned corpus, or import the tokenizer.json of a Hugging Face model, then see how it "
           "splits any text and browse its vocabulary here."));
    m_empty->setObjectName("tokenizerEmpty");
    connect(m_empty->addAction(tr("Train a Tokenizer")), &QPushButton::clicked, this,
            [this, tabs, trainPane] {
                m_trainingAsked = true;
                tabs->setCurrentWidget(trainPane);
                updateEmpty();
            });
    connect(m_empty->addAction(tr("Import tokenizer.json…")), &QPushButton::clicked, this,
            chooseImport);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_message);

    // The job's progress lines become the page's message as they arrive.
    connect(m_training, &WorkspaceJob::line, this, &TokenizerPage::report);
    connect(m_training, &WorkspaceJob::finished, this, [this](bool ok, const QString& lastLine) {
        m_train->setEnabled(true);
        const QString trained = QString::fromStdString(m_files->shownPath(
            "tokenizers/" + m_trainName->text().toStdString() + "/tokenizer.json"));
        if (ok) {
            listTokenizers();
            loadTokenizer(trained);
            report(tr("Trained %1.").arg(trained));
        } else {
            report(lastLine);
        }
        emit trainingFinished(ok);
    });
    // A host's workspace is read when the page is first shown, not as the window opens.
    if (m_files->isLocal()) readWorkspace();
    updateEmpty();
}

void TokenizerPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_workspaceRead) readWorkspace();
}

void TokenizerPage::readWorkspace() {
    m_workspaceRead = true;
    listTokenizers();
    if (m_chooser->count() > 0) loadTokenizer(m_chooser->itemData(0).toString());
}

void TokenizerPage::updateEmpty() {
    m_empty->setEmpty(!m_tokenizer && !m_trainingAsked);
}

TokenizerPage::~TokenizerPage() = default;

void TokenizerPage::report(const QString& message) {
    m_message->setText(message);
}

void TokenizerPage::listTokenizers() {
    m_chooser->clear();
    m_errors.run([&] {
        for (const store::FolderEntry& entry : m_files->list("tokenizers")) {
            if (!entry.folder) continue;
            const std::string file = "tokenizers/" + entry.name + "/tokenizer.json";
            if (m_files->exists(file))
                m_chooser->addItem(QString::fromStdString(entry.name),
                                   QString::fromStdString(m_files->shownPath(file)));
        }
    });
}

bool TokenizerPage::loadTokenizer(const QString& path) {
    std::unique_ptr<tokenizer::Tokenizer> loaded;
    if (!m_errors.run([&] {
            const std::string file = path.toStdString();
            // Here, the folder's tokenizer_config.json is read too; a host sends tokenizer.json.
            loaded = std::make_unique<tokenizer::Tokenizer>(
                m_files->isLocal() ? tokenizer::loadTokenizer(file)
                                   : tokenizer::Tokenizer(
                                         tokenizer::parseTokenizerJson(m_files->read(file), file)));
        }))
        return false;
    m_vocabulary->setTokenizer(nullptr);
    m_tokenizer = std::move(loaded);
    m_vocabulary->setTokenizer(m_tokenizer.get());
    int index = m_chooser->findData(path);
    if (index >= 0) m_chooser->setCurrentIndex(index);
    report(tr("%1: %n token(s)", "", int(m_tokenizer->vocabSize())).arg(path));
    retokenize();
    updateEmpty();
    return true;
}

bool TokenizerPage::importTokenizer(const QString& path, const QString& name) {
    if (!common::isPlainName(name.toStdString())) {
        report(tr("\"%1\" is not a usable name: letters, digits, '.', '_' and '-' only").arg(name));
        return false;
    }
    const std::string target =
        m_files->shownPath("tokenizers/" + name.toStdString() + "/tokenizer.json");
    if (!m_errors.run([&] {
            tokenizer::loadTokenizer(path.toStdString());  // refuse what the trainer cannot use
            if (m_files->exists(target))
                throw std::runtime_error(target + " exists already; choose another name");
            QFile file(path);
            if (file.size() > qint64(store::kMaxWorkspaceFileBytes))
                throw std::runtime_error(path.toStdString() + " is over " +
                                         std::to_string(store::kMaxWorkspaceFileBytes >> 20) +
                                         " MiB, more than a workspace file may be");
            if (!file.open(QIODevice::ReadOnly))
                throw std::runtime_error(path.toStdString() + ": " +
                                         file.errorString().toStdString());
            m_files->write(target, file.readAll().toStdString(), /*replace=*/false);
        }))
        return false;
    listTokenizers();
    return loadTokenizer(QString::fromStdString(target));
}

bool TokenizerPage::trainTokenizer(const QString& input, const QString& name, int vocabSize) {
    if (input.isEmpty() || !common::isPlainName(name.toStdString())) {
        report(tr("Training needs a corpus and a name (letters, digits, '.', '_' and '-')."));
        return false;
    }
    proto::JobSpec spec;
    spec.kind = proto::JobSpec::Kind::TokenizerTrain;
    spec.inputs = {input.toStdString()};
    spec.output = m_files->shownPath("tokenizers/" + name.toStdString() + "/tokenizer.json");
    spec.vocabSize = vocabSize;
    m_trainName->setText(name);
    m_train->setEnabled(false);
    report(tr("Training %1…").arg(name));
    m_training->start(spec);
    return true;
}

QString TokenizerPage::message() const {
    return m_message->text();
}

void TokenizerPage::cancelTraining() {
    m_training->cancel();
}

void TokenizerPage::retokenize() {
    if (!m_tokenizer) return;
    const QByteArray text = m_input->toPlainText().toUtf8();
    std::vector<tokenizer::TokenId> ids = m_tokenizer->encode(
        std::string_view(text.constData(), size_t(text.size())), tokenizer::SpecialPolicy::none());
    QList<widgets::TokenPiece> pieces;
    QStringList idText;
    for (tokenizer::TokenId id : ids) {
        std::string_view bytes = m_tokenizer->tokenBytes(id);
        pieces.append({QByteArray(bytes.data(), qsizetype(bytes.size())), int(id)});
        idText << QString::number(id);
    }
    m_view->setTokens(pieces);
    m_ids->setText(idText.join(' '));
    const qsizetype characters = m_input->toPlainText().size();
    m_stats->setText(ids.empty() ? tr("no tokens")
                                 : tr("%1 bytes, %2 characters → %3 tokens: %4 bytes and %5 "
                                      "characters per token")
                                       .arg(text.size())
                                       .arg(characters)
                                       .arg(ids.size())
                                       .arg(double(text.size()) / double(ids.size()), 0, 'f', 2)
                                       .arg(double(characters) / double(ids.size()), 0, 'f', 2));
}

}  // namespace strata::ui
