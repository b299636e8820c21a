// The studio when the workspace's run history fails under it while the pages refresh: a history
// gone corrupt (every read fails), one locked by another writer (writes fail once the busy
// timeout has passed; readers go on under WAL) and one the studio may only read (writes fail).
// Each time the window stays up and the page that met the error says what happened, in its own
// message line, and the studio log has it.
#include "core/common/workspace_paths.h"
#include "core/store/database.h"
#include "core/store/label_store.h"
#include "ui/home/home_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/main_window.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"
#include "ui/runs/runs_page.h"
#include "ui/train/train_page.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <cmath>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// The rows of the page list.
enum Page { Home, Data, Tokenizer, Model, Train, Labeling, Runs, Playground };

// A workspace whose history holds one finished run (a loss curve, a log line, a checkpoint whose
// folder exists) and three preference pairs; returns the run's id.
int64_t makeWorkspace(const fs::path& root) {
    fs::create_directories(root / "runs" / "first" / "checkpoints" / "step-0000003");
    store::RunHistory history(common::historyFile(root));
    store::NewRun run;
    run.name = "first";
    run.host = "local";
    run.stage = "pretrain";
    run.configText = "[train]\nmax_steps = 3\n";
    run.runDir = (root / "runs" / "first").string();
    int64_t id = history.createRun(run);
    store::IngestBatch batch;
    batch.runId = id;
    for (int step = 1; step <= 3; ++step)
        batch.metrics.push_back({step, "loss", step, 4.0 / step, 1e9 + step});
    batch.logs.push_back({4, 1e9 + 4, 0, "info", "saved a checkpoint"});
    batch.checkpoints.push_back({5, 3, "checkpoints/step-0000003", NAN, 1e9 + 5});
    batch.lastSeq = 6;
    batch.stateSeq = 6;
    batch.state = store::RunState::Completed;
    batch.startedAt = 1e9;
    batch.endedAt = 1e9 + 6;
    history.ingest(batch);
    store::LabelStore labels(common::historyFile(root));
    labels.addPairs({{0, "a prompt", "one answer", "another answer"},
                     {0, "b prompt", "one answer", "another answer"},
                     {0, "c prompt", "one answer", "another answer"}});
    return id;
}

// Overwrites every page of the database file after the first with junk, after another connection
// has committed a change: the window's connections see the change, drop what they cached and read
// the junk, as they would a disk that went bad under them.
void corrupt(const fs::path& database) {
    {
        store::Database other(database);
        other.setUserVersion(other.userVersion());
    }
    QFile file(QString::fromStdString(database.string()));
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 pageSize = 4096;
    QVERIFY(file.size() > pageSize);
    QVERIFY(file.seek(pageSize));
    file.write(QByteArray(file.size() - pageSize, '\xff'));
}

bool describesCorruption(const QString& text) {
    return text.contains("malformed") || text.contains("not a database");
}

QString studioLog(const fs::path& root) {
    QFile log(QString::fromStdString((root / "logs" / "studio.log").string()));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}

// Root reads and writes whatever a file's mode says, so the read-only case takes an ordinary
// user's rights (nobody's) while the window has the history open.
class OrdinaryRights {
public:
    OrdinaryRights() : m_dropped(geteuid() == 0 && seteuid(65534) == 0) {}
    ~OrdinaryRights() {
        if (m_dropped && seteuid(0) != 0) qFatal("cannot take root's rights back");
    }
    OrdinaryRights(const OrdinaryRights&) = delete;
    OrdinaryRights& operator=(const OrdinaryRights&) = delete;

private:
    bool m_dropped;
};

}  // namespace

class TestHistoryFailures : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path folder(const char* name) { return m_tmp.filePath(name).toStdString(); }

    static QString labelingMessage(ui::MainWindow& window) {
        return window.findChild<ui::LabelingPage*>()->findChild<QLabel*>("message")->text();
    }
    // The annotator's name is entered (or emptied): the page claims a pair and re-reads its stats.
    static void enterAnnotator(ui::MainWindow& window, const QString& name) {
        auto* annotator = window.findChild<ui::LabelingPage*>()->findChild<QLineEdit*>("annotator");
        annotator->setText(name);
        emit annotator->editingFinished();
    }

    // The pages that write (claiming a pair for the annotator, saving a run's details) say why
    // their writes fail, in their message lines and the log; the pages read on, and the window's
    // refresh has nothing to report.
    static void writesFailSaying(ui::MainWindow& window, int64_t runId, const QString& reason) {
        auto* pages = window.findChild<QListWidget*>("pageList");
        pages->setCurrentRow(Labeling);
        enterAnnotator(window, "ana");
        QVERIFY2(labelingMessage(window).contains(reason), qPrintable(labelingMessage(window)));

        pages->setCurrentRow(Runs);
        auto* runs = window.findChild<ui::RunsPage*>();
        runs->selectRuns({runId});
        QVERIFY2(!runs->message().contains(reason), qPrintable(runs->message()));
        runs->findChild<QLineEdit*>("runTitle")->setText("renamed");
        runs->saveDetails();
        QVERIFY2(runs->message().contains(reason), qPrintable(runs->message()));

        window.findChild<QAction*>("refreshAction")->trigger();
        QVERIFY2(window.errorText().isEmpty(), qPrintable(window.errorText()));
        QVERIFY(window.isVisible());
        const QString log = studioLog(window.workspace());
        QVERIFY2(log.contains(reason), qPrintable(log));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aCorruptHistoryIsReportedWhereItIsRead() {
        const fs::path root = folder("corrupt");
        const int64_t runId = makeWorkspace(root);
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(root));
        auto* pages = window.findChild<QListWidget*>("pageList");
        corrupt(common::historyFile(root));
        if (QTest::currentTestFailed()) return;

        // The Runs page re-reads the history when shown, and the selected run's metrics.
        pages->setCurrentRow(Runs);
        auto* runs = window.findChild<ui::RunsPage*>();
        runs->selectRuns({runId});
        QVERIFY2(describesCorruption(runs->message()), qPrintable(runs->message()));

        // The Train page reads the run it is asked to show.
        pages->setCurrentRow(Train);
        auto* train = window.findChild<ui::TrainPage*>();
        train->showRun(runId);
        QVERIFY2(describesCorruption(train->statusText()), qPrintable(train->statusText()));

        // The Labeling page re-reads its statistics for another annotator.
        pages->setCurrentRow(Labeling);
        enterAnnotator(window, "");
        QVERIFY2(describesCorruption(labelingMessage(window)), qPrintable(labelingMessage(window)));

        // The Home page re-reads the workspace when shown.
        pages->setCurrentRow(Home);
        QString home = window.findChild<ui::HomePage*>()->message();
        QVERIFY2(describesCorruption(home), qPrintable(home));

        // The Playground re-reads the checkpoints when shown.
        pages->setCurrentRow(Playground);
        QString playground = window.findChild<ui::PlaygroundPage*>()->pane(0)->statusText();
        QVERIFY2(describesCorruption(playground), qPrintable(playground));

        // The window's own refresh (the run counts) says it in the banner.
        window.findChild<QAction*>("refreshAction")->trigger();
        QVERIFY2(window.errorText().startsWith("Cannot read the run history"),
                 qPrintable(window.errorText()));
        QVERIFY(window.isVisible());
        QVERIFY(describesCorruption(studioLog(root)));
    }

    void aLockedHistoryIsReportedWhereItIsWritten() {
        const fs::path root = folder("locked");
        const int64_t runId = makeWorkspace(root);
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(root));
        store::Database writer(common::historyFile(root));
        writer.exec("BEGIN EXCLUSIVE");
        // Each write waits out the busy timeout first.
        writesFailSaying(window, runId, "database is locked");
        writer.exec("ROLLBACK");
    }

    void aReadOnlyHistoryIsReportedWhereItIsWritten() {
        const fs::path root = folder("readonly");
        const int64_t runId = makeWorkspace(root);
        // Anyone may make files in the workspace (the log, SQLite's shared memory); nobody may
        // write the history.
        fs::permissions(m_tmp.path().toStdString(), fs::perms::all);
        fs::permissions(root, fs::perms::all);
        fs::permissions(common::historyFile(root),
                        fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        OrdinaryRights rights;
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY2(window.openWorkspace(root), qPrintable(window.errorText()));
        writesFailSaying(window, runId, "readonly");
    }
};

QTEST_MAIN(TestHistoryFailures)
#include "tst_history_failures.moc"
