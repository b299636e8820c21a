// The labeling loop, all from the studio: Generate Pairs… answers prompts with two checkpoints of
// a pretraining run into the labeling queue; an annotator labels every pair (preferring the
// shorter answer); Train Reward Model… snapshots the labels and opens the Train page's New Config
// for a reward run on them; that run trains (keeping the snapshot in its folder); then a PPO run
// starts from the same checkpoint with the new reward model weighted into its reward, and the
// Train page shows its reward chart and the responses it sampled; last, the reward model scores
// new pairs and the labeling queue hands out the one it is least sure about first.
#include "core/common/workspace_paths.h"
#include "core/proto/run_client.h"
#include "core/store/metric_store.h"
#include "tests/core/proto/tiny_workspace.h"
#include "ui/common/checkpoint_choices.h"
#include "ui/labeling/labeling_page.h"
#include "ui/labeling/pair_generation_dialog.h"
#include "ui/main_window.h"
#include "ui/train/rollout_inspector.h"
#include "ui/train/run_config_dialog.h"
#include "ui/train/train_page.h"
#include "widgets/config_form.h"
#include "widgets/metric_chart.h"
#include "widgets/pair_compare.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QtTest>

#include <fstream>

using namespace strata;

class TestLabelingLoop : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;

    // Picks the item of `box` whose text contains `name`.
    static void choose(QComboBox* box, const QString& name) {
        int index = -1;
        for (int i = 0; i < box->count() && index < 0; ++i)
            if (box->itemText(i).contains(name)) index = i;
        QVERIFY2(index >= 0, qPrintable(name));
        box->setCurrentIndex(index);
    }

    // Sets the few keys that make a stage a seconds-long run on one thread.
    static void makeTiny(ui::RunConfigDialog* dialog, const common::ConfigValues& stageKeys) {
        common::ConfigValues values{{"train.max_steps", "4"},    {"train.eval_every", "4"},
                                    {"train.eval_batches", "1"}, {"train.micro_batch_size", "4"},
                                    {"train.threads", "1"},      {"checkpoint.every", "4"},
                                    {"data.val_fraction", "0.2"}};
        values.insert(stageKeys.begin(), stageKeys.end());
        dialog->form()->setValues(values);
    }

    // Starts the Train page's config and waits for the run to end; returns its state.
    static store::RunState runToEnd(ui::TrainPage* train, store::RunHistory& history) {
        int64_t before = train->runId();
        if (!train->startRun()) return store::RunState::Failed;
        if (!QTest::qWaitFor([&] { return train->runId() != before && !train->runActive(); },
                             180000))
            return store::RunState::Running;
        return history.run(train->runId()).state;
    }

    static QString lastLog(store::RunHistory& history, int64_t runId) {
        std::vector<store::LogRow> logs = history.logs(runId);
        return logs.empty() ? QString() : QString::fromStdString(logs.back().message);
    }

private slots:
    void labelsBecomeARewardModelAndAPpoRun() {
        QStandardPaths::setTestModeEnabled(true);
        std::filesystem::path prompts = m_workspace.root / "prompts.jsonl";
        {
            std::ofstream out(prompts);
            for (const char* word : {"cat", "dog", "map", "sun", "cup", "hat", "box", "pen"})
                for (const char* where : {"in the house", "by the sea", "on the hill", "at night"})
                    out << "{\"prompt\": \"tell me of the " << word << " " << where << "\"}\n";
        }
        store::RunHistory history(common::historyFile(m_workspace.root));
        int64_t pretrain = proto::startRun(history, m_workspace.target(), m_workspace.spec(4, 2));
        QCOMPARE(proto::followRun(history, m_workspace.target(), pretrain),
                 store::RunState::Completed);

        ui::MainWindow window(STRATA_CLI);
        QVERIFY(window.openWorkspace(m_workspace.root));
        auto* labeling = window.findChild<ui::LabelingPage*>();
        auto* train = window.findChild<ui::TrainPage*>();
        QVERIFY(labeling && train);

        // Pairs: the step-4 and step-2 checkpoints answer each prompt.
        {
            store::LabelStore labels(common::historyFile(m_workspace.root));
            store::LocalLabelQueue queue(common::historyFile(m_workspace.root));
            ui::PairGenerationDialog generate(queue, "",
                                              ui::listCheckpoints(history, m_workspace.root),
                                              m_workspace.root, STRATA_CLI);
            generate.findChild<QComboBox*>("checkpointA")->setCurrentIndex(0);
            generate.findChild<QComboBox*>("checkpointB")->setCurrentIndex(1);
            generate.findChild<QLineEdit*>("promptSet")
                ->setText(QString::fromStdString(prompts.string()));
            generate.findChild<QSpinBox*>("maxNewTokens")->setValue(8);
            generate.findChild<QDoubleSpinBox*>("temperature")->setValue(1.0);
            QVERIFY(generate.generate());
            QVERIFY(QTest::qWaitFor([&] { return !generate.running(); }, 60000));
            QVERIFY2(generate.messageText().startsWith("Added"),
                     qPrintable(generate.messageText()));
            QVERIFY2(labels.counts().numPairs >= 8, qPrintable(generate.messageText()));
        }

        // Labels: the shorter answer wins, whichever side it is shown on.
        store::LabelStore labels(common::historyFile(m_workspace.root));
        labeling->findChild<QLineEdit*>("annotator")->setText("ana");
        labeling->showNext();
        auto* compare = labeling->findChild<widgets::PairCompare*>("pairCompare");
        int given = 0;
        while (labeling->currentPairId() != 0) {
            store::PreferencePair pair = labels.pair(labeling->currentPairId());
            bool aShorter = pair.responseA.size() <= pair.responseB.size();
            bool leftIsA = compare->leftText().toStdString() == pair.responseA;
            labeling->give(aShorter == leftIsA ? ui::LabelingPage::Verdict::Left
                                               : ui::LabelingPage::Verdict::Right);
            ++given;
        }
        QCOMPARE(int64_t(given), labels.counts().numPairs);

        // Train Reward Model…: a snapshot of the labels, and New Config on the Train page.
        labeling->findChild<QPushButton*>("trainRewardModel")->click();
        auto* rewardConfig = train->findChild<ui::RunConfigDialog*>();
        QVERIFY(rewardConfig);
        std::string snapshot = rewardConfig->form()->values()["data.train"];
        QVERIFY(snapshot.find("datasets/labels/labels-") != std::string::npos);
        choose(rewardConfig->findChild<QComboBox*>("startFrom"), "step 4");
        makeTiny(rewardConfig, {{"optim.lr", "1e-3"}});
        QVERIFY2(rewardConfig->save(), qPrintable(rewardConfig->messageText()));
        rewardConfig->close();
        QCOMPARE(train->configPath(), rewardConfig->savedPath());
        QVERIFY2(runToEnd(train, history) == store::RunState::Completed,
                 qPrintable(train->statusText() + " " + lastLog(history, train->runId())));
        store::RunRecord reward = history.run(train->runId());
        QCOMPARE(reward.stage, std::string("reward"));
        // The run keeps the labels it learned from: one pair per label, every label an A or B.
        std::ifstream kept(std::filesystem::path(reward.runDir) / "preferences.jsonl");
        int keptPairs = 0;
        for (std::string line; std::getline(kept, line);)
            keptPairs += line.empty() ? 0 : 1;
        QCOMPARE(keptPairs, given);
        QVERIFY(!history.metricKeys(reward.id).empty());

        // PPO from the same checkpoint, the reward model in its reward.
        auto* ppoConfig =
            train->openNewConfig("ppo", {{"data.train", QString::fromStdString(prompts.string())}});
        choose(ppoConfig->findChild<QComboBox*>("startFrom"), "step 4");
        choose(ppoConfig->findChild<QComboBox*>("rewardModel"),
               QString::fromStdString(reward.name));
        makeTiny(ppoConfig, {{"ppo.max_new_tokens", "4"}});
        QCOMPARE(ppoConfig->form()->values()["rewards.model"], std::string("1.0"));
        QVERIFY2(ppoConfig->save(), qPrintable(ppoConfig->messageText()));
        ppoConfig->close();
        QVERIFY2(runToEnd(train, history) == store::RunState::Completed,
                 qPrintable(train->statusText() + " " + lastLog(history, train->runId())));
        store::RunRecord ppo = history.run(train->runId());
        QCOMPARE(ppo.stage, std::string("ppo"));
        std::vector<std::string> keys = history.metricKeys(ppo.id);
        for (const char* key : {"reward", "reward_model", "kl", "value_loss"})
            QVERIFY2(std::find(keys.begin(), keys.end(), key) != keys.end(), key);

        // The Train page shows the run's own charts and the responses it sampled.
        auto* tabs = train->findChild<QTabWidget*>("chartTabs");
        QVERIFY(tabs->isTabVisible(1) && tabs->isTabVisible(2));
        tabs->setCurrentIndex(1);
        auto* rewardChart = train->findChild<widgets::MetricChart*>("stageChart0");
        QVERIFY(!rewardChart->shownPoints("total").isEmpty());
        QVERIFY(!rewardChart->shownPoints("model").isEmpty());
        tabs->setCurrentIndex(2);
        auto* inspector = train->findChild<ui::RolloutInspector*>("rolloutInspector");
        QCOMPARE(inspector->steps().back(), ppo.lastStep);
        QVERIFY(!inspector->record().samples.isEmpty());
        QCOMPARE(inspector->record().parts.back().name, QString("safety"));
        QVERIFY(std::any_of(inspector->record().parts.begin(), inspector->record().parts.end(),
                            [](const ui::RolloutPart& part) { return part.name == "model"; }));

        // Score Pairs…: the reward model scores new pairs, and the queue hands out the one it
        // is least sure about first.
        labels.addPairs({{0, "tell me of the cat", "a cat", "the cat sat by the sea", "", ""},
                         {0, "tell me of the dog", "a dog", "the dog", "", ""},
                         {0, "tell me of the sun", "sun", "the sun and the sun", "", ""}});
        const std::filesystem::path rewardModel =
            std::filesystem::path(reward.runDir) / history.checkpoints(reward.id).back().path;
        QSignalSpy scored(labeling, &ui::LabelingPage::scoringFinished);
        QVERIFY(labeling->scorePairs(QString::fromStdString(rewardModel.string())));
        QVERIFY(scored.wait(60000));
        QVERIFY(scored.first().first().toBool());
        const std::string scorer = common::workspaceRelative(rewardModel, m_workspace.root);
        QCOMPARE(labeling->queueOrder(), QString::fromStdString(scorer));
        QCOMPARE(labels.scoredPairs(scorer), int64_t(3));
        store::Statement leastSure = labels.database().prepare(
            "SELECT pair_id FROM pair_scores WHERE scorer = ?1 ORDER BY abs(margin) LIMIT 1");
        leastSure.bind(1, scorer);
        QVERIFY(leastSure.step());
        QCOMPARE(labeling->currentPairId(), leastSure.columnInt(0));
    }
};

QTEST_MAIN(TestLabelingLoop)
#include "tst_labeling_loop.moc"
