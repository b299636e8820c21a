// The rollout inspector over a real run history: it lists the recorded steps and follows the
// newest, shows a step's responses with their reward, parts, advantage and KL, shades the chosen
// response's tokens by KL on the step's scale, stays on a step picked by hand while new ones
// arrive, and says so when a run recorded no KL.
#include "ui/train/rollout_inspector.h"
#include "widgets/token_view.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fmt/format.h>

using namespace strata;

namespace {

// A GRPO step's record: two responses to one prompt, the second with the step's largest KL.
std::string grpoRecord(int64_t step) {
    return fmt::format(
        R"({{"step":{0},"kl_estimator":"k3","weights":{{"correctness":0.9,"coherence":0.1}},)"
        R"("samples":[)"
        R"({{"prompt":"Sort: 3 1","response":"1 3","reference":"1 3","reward":0.95,)"
        R"("parts":{{"correctness":1,"coherence":0.5}},"advantage":0.7,)"
        R"("tokens":["1"," 3","<|eos|>"],"kl":[0.01,0.02,0.0]}},)"
        R"({{"prompt":"Sort: 3 1","response":"3 1","reference":"1 3","reward":0.05,)"
        R"("parts":{{"correctness":0,"coherence":0.5}},"advantage":-0.7,)"
        R"("tokens":["3"," 1"],"kl":[0.4,-0.1]}}]}})",
        step);
}

}  // namespace

class TestRolloutInspector : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    void record(store::RunHistory& history, int64_t runId, int64_t step, std::string json) {
        store::IngestBatch batch;
        batch.runId = runId;
        batch.rollouts.push_back({step, step, std::move(json)});
        batch.lastSeq = step;
        history.ingest(batch);
    }

private slots:
    void showsAStepsResponsesAndShadesTokensByKl() {
        store::RunHistory history(m_dir.filePath("grpo.db").toStdString());
        store::LocalRunCatalog runs(history, m_dir.path().toStdString());
        int64_t run = history.createRun({"grpo-run", "local", "grpo"});
        for (int64_t step : {1, 2, 3})
            record(history, run, step, grpoRecord(step));
        ui::RolloutInspector inspector(runs);
        inspector.showRun(run);
        QCOMPARE(inspector.steps(), (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(inspector.record().step, int64_t(3));  // the newest
        auto* table = inspector.findChild<QTableWidget*>("rolloutTable");
        QCOMPARE(table->rowCount(), 2);
        QStringList headers;
        for (int column = 0; column < table->columnCount(); ++column)
            headers << table->horizontalHeaderItem(column)->text();
        QCOMPARE(headers, (QStringList{"Reward", "coherence ×0.1", "correctness ×0.9", "Advantage",
                                       "KL (sum)", "Tokens", "Response"}));
        QCOMPARE(table->item(0, 2)->text(), QString("1.000"));
        QCOMPARE(table->item(1, 3)->text(), QString("-0.700"));
        QCOMPARE(table->item(1, 4)->text(), QString("0.300"));

        // The second response holds the step's largest |KL|: its first token is the reddest.
        inspector.selectResponse(1);
        QCOMPARE(inspector.tokenView()->tokenCount(), 2);
        QString html = inspector.tokenView()->toHtml().toLower();
        QVERIFY(html.contains(widgets::TokenView::heatColor(1.0).name()));
        QVERIFY(html.contains(widgets::TokenView::heatColor(0.25).name()));
        QVERIFY(inspector.findChild<QLabel*>("rolloutPrompt")->text().contains("Sort: 3 1"));
        QVERIFY(inspector.findChild<QLabel*>("rolloutScale")->text().contains("k3"));
    }

    void aStepPickedByHandStaysWhileNewOnesArrive() {
        store::RunHistory history(m_dir.filePath("follow.db").toStdString());
        store::LocalRunCatalog runs(history, m_dir.path().toStdString());
        int64_t run = history.createRun({"grpo-run", "local", "grpo"});
        for (int64_t step : {2, 4})
            record(history, run, step, grpoRecord(step));
        ui::RolloutInspector inspector(runs);
        inspector.showRun(run);
        auto* follow = inspector.findChild<QCheckBox*>("followRollouts");
        inspector.showStep(2);
        QVERIFY(!follow->isChecked());
        record(history, run, 6, grpoRecord(6));
        inspector.refresh();
        QCOMPARE(inspector.steps().size(), size_t(3));
        QCOMPARE(inspector.record().step, int64_t(2));
        follow->setChecked(true);
        QCOMPARE(inspector.record().step, int64_t(6));
        record(history, run, 8, grpoRecord(8));
        inspector.refresh();
        QCOMPARE(inspector.record().step, int64_t(8));
    }

    void aRunWithoutAReferenceShowsNoKl() {
        store::RunHistory history(m_dir.filePath("nokl.db").toStdString());
        store::LocalRunCatalog runs(history, m_dir.path().toStdString());
        int64_t run = history.createRun({"grpo-run", "local", "grpo"});
        record(history, run, 1,
               R"({"step":1,"weights":{"correctness":1},"samples":[{"prompt":"p","response":"r",)"
               R"("reference":"","reward":0,"parts":{"correctness":0},"tokens":["r"]}]})");
        ui::RolloutInspector inspector(runs);
        inspector.showRun(run);
        auto* table = inspector.findChild<QTableWidget*>("rolloutTable");
        QCOMPARE(table->columnCount(), 4);  // reward, correctness, tokens, response
        inspector.selectResponse(0);
        QVERIFY(inspector.findChild<QLabel*>("rolloutScale")->text().contains("no reference"));
        QVERIFY(!inspector.findChild<QLabel*>("rolloutPrompt")->text().contains("Reference"));
    }

    void aRunWithNoRolloutsSaysWhy() {
        store::RunHistory history(m_dir.filePath("none.db").toStdString());
        store::LocalRunCatalog runs(history, m_dir.path().toStdString());
        int64_t run = history.createRun({"sft-run", "local", "sft"});
        ui::RolloutInspector inspector(runs);
        inspector.showRun(run);
        QVERIFY(inspector.steps().empty());
        QVERIFY(inspector.findChild<QLabel*>("rolloutStepLabel")->text().contains("No rollouts"));
    }
};

QTEST_MAIN(TestRolloutInspector)
#include "tst_rollout_inspector.moc"
