// The Runs page on a real history: selecting two runs overlays their loss in one chart (one
// series per run, downsampled to the chart's width) and diffs their configs; the filter narrows
// the table; one run's title, tags and notes are edited and its lineage shown; runs are
// exported as CSV and deleted from the history. A refresh redraws only runs with new points.
#include "core/common/login_name.h"
#include "tests/ui/runs/history_fixture.h"
#include "ui/runs/runs_page.h"
#include "widgets/metric_chart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>

using namespace strata;

namespace {

// The history as the page reads it, counting the series it asks for.
class SeriesReadCounter : public store::LocalRunCatalog {
public:
    using store::LocalRunCatalog::LocalRunCatalog;
    std::vector<store::SeriesBucket> series(int64_t runId, const std::string& key, int64_t fromStep,
                                            int64_t toStep, int pixelWidth) override {
        ++seriesReads;
        return store::LocalRunCatalog::series(runId, key, fromStep, toStep, pixelWidth);
    }
    int seriesReads = 0;
};

}  // namespace

class TestRunsPage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void overlaysTwoRunsAndDiffsTheirConfigs() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 20000, 5.0, "0.01");
        int64_t b = fixture.addRun("beta", 3000, 6.0, "0.02");
        fixture.addRun("gamma", 10, 4.0, "0.01");
        ui::RunsPage page(fixture.runs);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.selectRuns({a, b});
        QCOMPARE(page.selectedRuns().size(), 2);

        auto* metric = page.findChild<QComboBox*>("metricChoice");
        QCOMPARE(metric->currentText(), QString("loss"));
        QCOMPARE(metric->count(), 2);  // loss and lr, which both runs have
        auto* chart = page.findChild<widgets::MetricChart*>("overlayChart");
        QCOMPARE(chart->seriesNames(), (QStringList{"alpha", "beta"}));
        QList<QPointF> alpha = chart->shownPoints("alpha");
        QVERIFY(!alpha.isEmpty());
        // Downsampled by the store: at most four points per pixel of the 1200-pixel page, not
        // one per step.
        QVERIFY2(alpha.size() <= 4 * page.width(), qPrintable(QString::number(alpha.size())));
        QCOMPARE(alpha.front().x(), 1.0);
        QCOMPARE(alpha.back().x(), 20000.0);

        auto* diff = page.findChild<QPlainTextEdit*>("configDiff");
        QVERIFY2(diff->toPlainText().contains("optim.lr: 0.01  →  0.02"),
                 qPrintable(diff->toPlainText()));
        QVERIFY(diff->toPlainText().contains("train.max_steps"));
        QVERIFY(!diff->toPlainText().contains("model.d_model"));  // differences only, by default
        page.findChild<QCheckBox*>("diffAllKeys")->setChecked(true);
        QVERIFY2(diff->toPlainText().contains("model.d_model = 32"),
                 qPrintable(diff->toPlainText()));
        QVERIFY(diff->toPlainText().contains("optim.lr: 0.01  →  0.02"));

        metric->setCurrentText("lr");
        QCOMPARE(chart->shownPoints("beta").front().y(), 1e-3);
    }

    // Seeds of one learning rate as one mean line with a band from the lowest to the highest
    // seed, and the runs drawn against a baseline.
    void groupsAndABaseline() {
        HistoryFixture fixture;
        int64_t low1 = fixture.addRun("low-1", 100, 5.0, "0.01", {"sweep"});
        int64_t low2 = fixture.addRun("low-2", 100, 7.0, "0.01", {"sweep"});
        int64_t high = fixture.addRun("high", 100, 6.0, "0.02", {"sweep"});
        ui::RunsPage page(fixture.runs);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.selectRuns({low1, low2, high});
        auto* chart = page.findChild<widgets::MetricChart*>("overlayChart");
        auto* groupBy = page.findChild<QComboBox*>("groupBy");
        groupBy->setCurrentIndex(groupBy->findData("key"));
        page.findChild<QLineEdit*>("groupKey")->setText("optim.lr");
        emit page.findChild<QLineEdit*>("groupKey")->editingFinished();
        QCOMPARE(chart->seriesNames(),
                 (QStringList{"optim.lr = 0.01 (2 run(s))", "optim.lr = 0.02 (1 run(s))"}));
        const QList<QPointF> mean = chart->shownPoints("optim.lr = 0.01 (2 run(s))");
        const auto [lower, upper] = chart->shownBand("optim.lr = 0.01 (2 run(s))");
        QCOMPARE(mean.front().x(), 1.0);
        QCOMPARE(mean.front().y(), 6.0 * std::exp(-1 / 50.0));  // (5 + 7) / 2 at step 1
        QCOMPARE(lower.front().y(), 5.0 * std::exp(-1 / 50.0));
        QCOMPARE(upper.front().y(), 7.0 * std::exp(-1 / 50.0));

        groupBy->setCurrentIndex(groupBy->findData("tag"));
        QCOMPARE(chart->seriesNames(), (QStringList{"sweep (3 run(s))"}));

        groupBy->setCurrentIndex(0);
        auto* baseline = page.findChild<QComboBox*>("baseline");
        baseline->setCurrentIndex(baseline->findData(qint64(low1)));
        QCOMPARE(chart->seriesNames(), (QStringList{"high", "low-2"}));
        QCOMPARE(chart->shownPoints("low-2").front().y(), 2.0 * std::exp(-1 / 50.0));
    }

    void refreshKeepsUnsavedDetails() {
        HistoryFixture fixture;
        int64_t alpha = fixture.addRun("alpha", 10, 5.0, "0.01");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({alpha});
        auto* title = page.findChild<QLineEdit*>("runTitle");
        title->setText("being typed");
        fixture.addRun("beta", 10, 5.0, "0.02");  // what the 2 s refresh picks up
        page.reload();
        QCOMPARE(page.findChild<QTableView*>("runTable")->model()->rowCount(), 2);
        QCOMPARE(title->text(), QString("being typed"));
        QCOMPARE(page.selectedRuns(), QList<int64_t>{alpha});
    }

    // A refresh draws the chart again only when a selected run has something new: on a remote
    // workspace each series read is a round trip.
    void refreshRedrawsOnlyWhatChanged() {
        HistoryFixture fixture;
        int64_t alpha = fixture.addRun("alpha", 10, 5.0, "0.01");
        int64_t beta = fixture.addRun("beta", 10, 5.0, "0.02");
        SeriesReadCounter counted(fixture.history, fixture.dir.path().toStdString());
        ui::RunsPage page(counted);
        page.selectRuns({alpha, beta});
        const int drawn = counted.seriesReads;
        QVERIFY(drawn >= 2);
        page.reload();
        QCOMPARE(counted.seriesReads, drawn);  // both runs ended: nothing new
        store::IngestBatch more;
        more.runId = beta;
        more.metrics.push_back({20, "loss", 11, 0.5, 2e9});
        more.lastSeq = 20;
        fixture.history.ingest(more);
        page.reload();
        QVERIFY(counted.seriesReads > drawn);
        QCOMPARE(
            page.findChild<widgets::MetricChart*>("overlayChart")->shownPoints("beta").back().x(),
            11.0);
    }

    void filterNarrowsTheTable() {
        HistoryFixture fixture;
        fixture.addRun("alpha", 10, 5.0, "0.01", {"baseline"});
        fixture.addRun("beta", 10, 5.0, "0.01");
        ui::RunsPage page(fixture.runs);
        auto* table = page.findChild<QTableView*>("runTable");
        QCOMPARE(table->model()->rowCount(), 2);
        page.findChild<QLineEdit*>("runFilter")->setText("baseline");
        QCOMPARE(table->model()->rowCount(), 1);
    }

    void oneRunIsRenamedTaggedAnnotatedAndTraced() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 10, 5.0, "0.01");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({a});
        page.findChild<QLineEdit*>("runTitle")->setText("baseline");
        page.findChild<QLineEdit*>("runTags")->setText("small, cpu ,");
        page.findChild<QPlainTextEdit*>("runNotes")->setPlainText("looks fine");
        page.findChild<QPushButton*>("saveDetails")->click();
        store::RunRecord run = fixture.history.run(a);
        QCOMPARE(run.name, std::string("alpha"));
        QCOMPARE(run.title, std::string("baseline"));
        QCOMPARE(run.tags, (std::vector<std::string>{"cpu", "small"}));
        QCOMPARE(run.notes, std::string("looks fine"));
        auto* table = page.findChild<QTableView*>("runTable");
        QCOMPARE(table->model()->index(0, 0).data().toString(), QString("baseline"));
        QCOMPARE(page.selectedRuns(), QList<int64_t>{a});  // kept across the reload

        auto* lineage = page.findChild<QTreeWidget*>("lineage");
        QCOMPARE(lineage->topLevelItemCount(), 1);
        QCOMPARE(lineage->topLevelItem(0)->text(0), QString("run: baseline"));
        QVERIFY(lineage->topLevelItem(0)->text(1).contains("completed, step 10"));
    }

    // A reviewer comments on one run as the login user; the comment shows with its author, and
    // another run shows its own comments only.
    void aReviewerCommentsOnARun() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 10, 5.0, "0.01");
        int64_t b = fixture.addRun("beta", 10, 5.0, "0.02");
        fixture.history.addComment(b, "bo", "beta diverges");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({a});
        auto* editor = page.findChild<QPlainTextEdit*>("newComment");
        QVERIFY(editor->isEnabled());
        editor->setPlainText("  loss flat after step 5 <b>  ");
        page.findChild<QPushButton*>("addComment")->click();
        std::vector<store::RunComment> comments = fixture.history.comments(a);
        QCOMPARE(comments.size(), size_t(1));
        QCOMPARE(comments[0].body, std::string("loss flat after step 5 <b>"));
        QCOMPARE(comments[0].author, common::loginName());
        QVERIFY(editor->toPlainText().isEmpty());
        auto* shown = page.findChild<QTextBrowser*>("runComments");
        QVERIFY2(shown->toPlainText().contains("loss flat after step 5 <b>"),
                 qPrintable(shown->toPlainText()));
        QVERIFY(shown->toPlainText().contains(QString::fromStdString(common::loginName())));
        QVERIFY(!shown->toPlainText().contains("beta diverges"));

        page.selectRuns({b});
        QVERIFY(shown->toPlainText().contains("bo"));
        QVERIFY(shown->toPlainText().contains("beta diverges"));
        page.selectRuns({a, b});  // comments belong to one run
        QVERIFY(shown->toPlainText().isEmpty());
        QVERIFY(!editor->isEnabled());
    }

    void runsAreExportedAndDeleted() {
        HistoryFixture fixture;
        int64_t a = fixture.addRun("alpha", 10, 5.0, "0.01");
        int64_t b = fixture.addRun("beta", 5, 5.0, "0.01");
        ui::RunsPage page(fixture.runs);
        page.selectRuns({a, b});
        QTemporaryDir out;
        QVERIFY(page.exportSelected(out.path()));
        QFile csv(out.filePath("beta.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 1 + 2 * 5);  // the header, then loss and lr
        QVERIFY(QFile::exists(out.filePath("alpha.csv")));
        QVERIFY(!page.exportSelected(out.filePath("missing/folder")));
        QVERIFY2(page.message().contains("missing/folder"), qPrintable(page.message()));

        // A run still going cannot be deleted.
        int64_t live = fixture.history.createRun({"live", "local"});
        page.reload();
        page.selectRuns({live});
        page.deleteSelected(false);
        QVERIFY2(page.message().contains("live is still created"), qPrintable(page.message()));
        QCOMPARE(fixture.history.listRuns().size(), size_t(3));
        fixture.history.setState(live, store::RunState::Stopped);

        page.selectRuns({b, live});
        page.deleteSelected(false);
        QCOMPARE(fixture.history.listRuns().size(), size_t(1));
        QCOMPARE(page.findChild<QTableView*>("runTable")->model()->rowCount(), 1);
        QVERIFY(page.selectedRuns().isEmpty());
    }

    void emptyHistoryShowsAnEmptyPage() {
        HistoryFixture fixture;
        ui::RunsPage page(fixture.runs);
        page.show();
        QCOMPARE(page.findChild<QTableView*>("runTable")->model()->rowCount(), 0);
        QVERIFY(page.findChild<widgets::MetricChart*>("overlayChart")->seriesNames().isEmpty());
    }
};

QTEST_MAIN(TestRunsPage)
#include "tst_runs_page.moc"
