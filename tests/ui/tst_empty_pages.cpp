// The pages of an empty workspace say what they are for and how to fill them, in place of blank
// tables and panes, and show their views once there is content: the Runs page once the history
// has a run, the Labeling page once pairs are queued, the Playground once there is a checkpoint or
// a model folder, the Tokenizer page once a tokenizer is loaded (or training is asked for), the
// Data page once a funnel or a preview is there. Each placeholder's buttons do what it says.
#include "core/common/workspace_paths.h"
#include "core/store/run_catalog.h"
#include "tests/tiny_data.h"
#include "ui/data/data_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"
#include "ui/runs/runs_page.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "widgets/empty_state.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {

widgets::EmptyState* emptyState(QWidget& page, const char* name) {
    auto* empty = page.findChild<widgets::EmptyState*>(name);
    if (!empty) qFatal("no %s", name);
    return empty;
}

// The buttons of the placeholder (the view has buttons of its own).
QList<QPushButton*> placeholderButtons(widgets::EmptyState* empty) {
    return empty->findChild<QWidget*>("placeholder")->findChildren<QPushButton*>();
}

QPushButton* placeholderButton(widgets::EmptyState* empty, const QString& text) {
    for (QPushButton* button : placeholderButtons(empty))
        if (button->text() == text) return button;
    qFatal("no button %s", qPrintable(text));
}

void write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
}

}  // namespace

class TestEmptyPages : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_workspaces = 0;
    fs::path newWorkspace() {
        fs::path root = m_tmp.filePath(QString("ws%1").arg(++m_workspaces)).toStdString();
        fs::create_directories(root);
        return root;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void runsPage() {
        const fs::path root = newWorkspace();
        store::RunHistory history(common::historyFile(root));
        store::LocalRunCatalog runs(history, root);
        ui::RunsPage page(runs);
        widgets::EmptyState* empty = emptyState(page, "runsEmpty");
        QVERIFY(empty->showsPlaceholder());
        QVERIFY(!empty->title().isEmpty() && !empty->text().isEmpty());
        QSignalSpy pipeline(&page, &ui::RunsPage::pipelineRequested);
        placeholderButton(empty, "Open the Pipeline")->click();
        QCOMPARE(pipeline.size(), 1);

        store::NewRun run;
        run.name = "first";
        run.host = "local";
        run.stage = "pretrain";
        const int64_t id = history.createRun(run);
        page.reload();
        QVERIFY(!empty->showsPlaceholder());
        history.setState(id, store::RunState::Completed);  // a run still going is not deleted
        page.selectRuns({id});
        page.deleteSelected(false);
        QVERIFY(empty->showsPlaceholder());  // the last run deleted: empty again
    }

    void labelingPage() {
        const fs::path root = newWorkspace();
        ui::LabelingPage page(common::historyFile(root), root, STRATA_CLI);
        widgets::EmptyState* empty = emptyState(page, "labelingEmpty");
        QVERIFY(empty->showsPlaceholder());
        placeholderButton(empty, "Generate Pairs…");
        placeholderButton(empty, "Import JSONL…");

        write(root / "pairs.jsonl",
              "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n");
        QVERIFY(page.importFile(QString::fromStdString((root / "pairs.jsonl").string())));
        QVERIFY(!empty->showsPlaceholder());

        // Without a strata-cli the page generates nothing, and the placeholder offers only import.
        const fs::path other = newWorkspace();
        ui::LabelingPage readOnly(common::historyFile(other));
        widgets::EmptyState* importOnly = emptyState(readOnly, "labelingEmpty");
        QCOMPARE(placeholderButtons(importOnly).size(), 1);
    }

    void playgroundPage() {
        const fs::path root = newWorkspace();
        store::RunHistory history(common::historyFile(root));
        ui::PlaygroundPage page(history, root, STRATA_CLI);
        widgets::EmptyState* empty = emptyState(page, "playgroundEmpty");
        QVERIFY(empty->showsPlaceholder());
        QSignalSpy pipeline(&page, &ui::PlaygroundPage::pipelineRequested);
        placeholderButton(empty, "Open the Pipeline")->click();
        QCOMPARE(pipeline.size(), 1);
        placeholderButton(empty, "Choose a Model Folder…");

        // A model folder picked on one side fills the page.
        page.pane(0)->addFolder(QString::fromStdString((root / "models" / "smol").string()));
        QVERIFY(!empty->showsPlaceholder());

        // So does a checkpoint of the history whose folder is there.
        const fs::path other = newWorkspace();
        store::RunHistory otherHistory(common::historyFile(other));
        ui::PlaygroundPage withRun(otherHistory, other, STRATA_CLI);
        QVERIFY(emptyState(withRun, "playgroundEmpty")->showsPlaceholder());
        fs::create_directories(other / "runs" / "first" / "checkpoints" / "step-0000002");
        store::NewRun run;
        run.name = "first";
        run.host = "local";
        run.stage = "pretrain";
        store::IngestBatch batch;
        batch.runId = otherHistory.createRun(run);
        batch.checkpoints.push_back({1, 2, "checkpoints/step-0000002", NAN, 1e9});
        batch.lastSeq = 1;
        otherHistory.ingest(batch);
        withRun.reload();
        QVERIFY(!emptyState(withRun, "playgroundEmpty")->showsPlaceholder());
    }

    void tokenizerPage() {
        const fs::path root = newWorkspace();
        ui::TokenizerPage page(root, STRATA_CLI);
        widgets::EmptyState* empty = emptyState(page, "tokenizerEmpty");
        QVERIFY(empty->showsPlaceholder());
        placeholderButton(empty, "Import tokenizer.json…");
        // Asking to train shows the tabs, on the training form.
        placeholderButton(empty, "Train a Tokenizer")->click();
        QVERIFY(!empty->showsPlaceholder());
        auto* tabs = qobject_cast<QTabWidget*>(empty->view());
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(tabs->currentIndex()), QString("Train"));

        // A workspace with a tokenizer opens on it.
        const fs::path other = newWorkspace();
        tiny::writeData(other / "data");
        fs::create_directories(other / "tokenizers" / "tiny");
        fs::copy_file(other / "data" / "tokenizer.json",
                      other / "tokenizers" / "tiny" / "tokenizer.json");
        ui::TokenizerPage filled(other, STRATA_CLI);
        QVERIFY(!emptyState(filled, "tokenizerEmpty")->showsPlaceholder());

        // Loading one (Open…) fills an empty one too.
        ui::TokenizerPage opened(root, STRATA_CLI);
        QVERIFY(emptyState(opened, "tokenizerEmpty")->showsPlaceholder());
        QVERIFY(opened.loadTokenizer(
            QString::fromStdString((other / "tokenizers" / "tiny" / "tokenizer.json").string())));
        QVERIFY(!emptyState(opened, "tokenizerEmpty")->showsPlaceholder());
    }

    void dataPage() {
        const fs::path root = newWorkspace();
        ui::DataPage page(root, STRATA_CLI);
        widgets::EmptyState* empty = emptyState(page, "dataEmpty");
        QVERIFY(empty->showsPlaceholder());
        placeholderButton(empty, "Add Files…");
        // Preview without a source says what to do and stays empty.
        placeholderButton(empty, "Preview")->click();
        QVERIFY(page.message().contains("Add a source"));
        QVERIFY(empty->showsPlaceholder());

        // A preview of sampled documents fills it.
        write(root / "raw" / "a.txt", "A first document with enough words in it to be kept.\n");
        page.addSource(QString::fromStdString((root / "raw").string()));
        QSignalSpy previewed(&page, &ui::DataPage::previewReady);
        page.preview();
        QVERIFY(previewed.wait(30000));
        QVERIFY(!empty->showsPlaceholder());

        // A dataset cleaned before opens on its funnel.
        const fs::path other = newWorkspace();
        write(other / "datasets" / "corpus" / "funnel.json",
              "{\"input\": {\"documents\": 3}, \"removed\": [], \"output\": {\"documents\": 3}}");
        ui::DataPage cleaned(other, STRATA_CLI);
        QVERIFY(!emptyState(cleaned, "dataEmpty")->showsPlaceholder());
    }
};

QTEST_MAIN(TestEmptyPages)
#include "tst_empty_pages.moc"
