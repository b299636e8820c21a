// The Train page with a real worker and trainer: start a tiny run from the form and watch the
// loss chart fill while it trains, the run reach "completed" in the history, and the page's
// controls follow; pause, resume and stop from the buttons; a config that cannot be read is
// reported, not started.
#include "tests/core/proto/tiny_workspace.h"
#include "ui/train/train_page.h"
#include "widgets/heatmap.h"
#include "widgets/metric_chart.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace strata;

class TestTrainPage : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;

    QString writeConfig(int steps = 600) {
        return QString::fromStdString(m_workspace.writeConfig("tiny.toml", steps, 100).string());
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void startedRunFillsTheCharts() {
        store::RunHistory history(m_workspace.root / "strata.db");
        ui::TrainPage page(history, m_workspace.root, STRATA_CLI);
        page.resize(1200, 800);
        page.show();
        page.findChild<QLineEdit*>("configPath")->setText(writeConfig());
        page.findChild<QPushButton*>("startButton")->click();
        QVERIFY(!page.findChild<QPushButton*>("startButton")->isEnabled());
        auto* loss = page.findChild<widgets::MetricChart*>("lossChart");
        // Points arrive while the run is going, not only at its end.
        QTRY_VERIFY_WITH_TIMEOUT(!loss->shownPoints("train").isEmpty(), 60000);
        QVERIFY(!page.findChild<QPushButton*>("startButton")->isEnabled());  // still running
        QTRY_VERIFY_WITH_TIMEOUT(page.findChild<QPushButton*>("startButton")->isEnabled(), 120000);
        QCOMPARE(history.run(page.runId()).state, store::RunState::Completed);
        QCOMPARE(loss->shownPoints("train").back().x(), 600.0);
        QVERIFY(!loss->shownPoints("validation").isEmpty());
        QVERIFY(!page.findChild<widgets::MetricChart*>("lrChart")
                     ->shownPoints("learning rate")
                     .isEmpty());
        QVERIFY2(page.findChild<QLabel*>("runStatus")->text().contains("completed"),
                 qPrintable(page.findChild<QLabel*>("runStatus")->text()));

        // The router heatmap: one row per routed expert of the MoE layer.
        auto* router = page.findChild<widgets::Heatmap*>("routerLoad");
        QCOMPARE(router->rowCount(), 4);
        QVERIFY(router->columnCount() > 0);
        QVERIFY(router->cellText(0, 0).startsWith("expert 0, steps 1"));

        // The same loss against tokens seen: the run's own "tokens" metric at its last step.
        page.findChild<QComboBox*>("xAxis")->setCurrentIndex(1);
        std::vector<store::StepSample> tokens =
            history.sampleSteps(page.runId(), "tokens", 600, 600, 1);
        QCOMPARE(tokens.size(), size_t(1));
        QCOMPARE(loss->shownPoints("train").back().x(), tokens[0].value);
        page.findChild<QComboBox*>("xAxis")->setCurrentIndex(0);
    }

    void buttonsPauseResumeAndStopTheRun() {
        store::RunHistory history(m_workspace.root / "strata.db");
        ui::TrainPage page(history, m_workspace.root, STRATA_CLI);
        page.show();
        page.findChild<QLineEdit*>("configPath")->setText(writeConfig(1000000));
        page.findChild<QPushButton*>("startButton")->click();
        auto state = [&] {
            return page.runId() == 0 ? store::RunState::Created : history.run(page.runId()).state;
        };
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Running, 60000);
        page.findChild<QPushButton*>("pauseButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Paused, 30000);
        page.findChild<QPushButton*>("resumeButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Running, 30000);
        page.findChild<QPushButton*>("stopButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(state(), store::RunState::Stopped, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(page.findChild<QPushButton*>("startButton")->isEnabled(), 30000);
        QVERIFY(!history.checkpoints(page.runId()).empty());  // stop saves one
    }

    void stopWhileStartingStopsTheRun() {
        store::RunHistory history(m_workspace.root / "strata.db");
        ui::TrainPage page(history, m_workspace.root, STRATA_CLI);
        page.findChild<QLineEdit*>("configPath")->setText(writeConfig(1000000));
        page.findChild<QPushButton*>("startButton")->click();
        QCOMPARE(page.runId(), 0);  // the worker is still starting
        page.findChild<QPushButton*>("stopButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(page.findChild<QPushButton*>("startButton")->isEnabled(), 60000);
        QCOMPARE(history.run(page.runId()).state, store::RunState::Stopped);
    }

    void unreadableConfigIsReported() {
        store::RunHistory history(m_workspace.root / "strata.db");
        ui::TrainPage page(history, m_workspace.root, STRATA_CLI);
        page.findChild<QLineEdit*>("configPath")->setText("/nonexistent/run.toml");
        page.findChild<QPushButton*>("startButton")->click();
        QVERIFY(page.findChild<QPushButton*>("startButton")->isEnabled());
        QVERIFY(
            page.findChild<QLabel*>("runStatus")->text().contains("cannot read the run config"));
        QCOMPARE(page.runId(), 0);
    }
};

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
