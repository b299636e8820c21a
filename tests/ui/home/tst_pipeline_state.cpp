// The pipeline's state read from real workspaces: an empty one has every stage to do, the data
// first; datasets, tokenizers, an imported model, runs of every stage (running, failed,
// completed) with their metrics and checkpoints, and labels each show in their stage with the
// latest run and its headline number; the stage to do next follows what is done; the actions
// carry the data the workspace has for them (the sample tasks, the newest labels snapshot, the
// imported model to fine-tune).
#include "core/model_spec/model_size.h"
#include "core/run/metric_keys.h"
#include "tests/ui/home/pipeline_workspace.h"
#include "ui/home/pipeline_state.h"

#include <QtTest>

#include <chrono>

using namespace strata;
using ui::PipelineStage;
using ui::StageAction;
using ui::StageStatus;

namespace {

ui::PipelineState readState(PipelineWorkspace& workspace) {
    return ui::PipelineState::read(workspace.root, workspace.history, workspace.labels);
}

QString path(const std::filesystem::path& file) {
    return QString::fromStdString(file.string());
}

}  // namespace

class TestPipelineState : public QObject {
    Q_OBJECT

private slots:
    void anEmptyWorkspaceHasEverythingToDo() {
        PipelineWorkspace workspace;
        ui::PipelineState state = readState(workspace);
        QCOMPARE(int(state.stages().size()), ui::kNumPipelineStages);
        for (const ui::StageState& stage : state.stages()) {
            QVERIFY2(stage.status == StageStatus::Todo, qPrintable(stage.id));
            QCOMPARE(stage.numItems, 0);
            QVERIFY(!stage.latestRun);
            QVERIFY(stage.headline.isEmpty());
            QVERIFY(std::isnan(stage.headlineValue));
            QVERIFY2(!stage.summary.isEmpty(), qPrintable(stage.id));  // what the stage is for
            QVERIFY(!stage.action.text.isEmpty());
            QCOMPARE(stage.id, QString(ui::pipelineStageId(stage.stage)));
        }
        QCOMPARE(state.next(), PipelineStage::Data);

        // Each stage's action goes where that stage is done.
        const StageAction& data = state.stage(PipelineStage::Data).action;
        QCOMPARE(data.kind, StageAction::Kind::ShowPage);
        QCOMPARE(data.page, ui::StudioPage::Data);
        QCOMPARE(state.stage(PipelineStage::Tokenizer).action.page, ui::StudioPage::Tokenizer);
        const StageAction& pretrain = state.stage(PipelineStage::Pretrain).action;
        QCOMPARE(pretrain.kind, StageAction::Kind::NewConfig);
        QCOMPARE(pretrain.stage, QString("pretrain"));
        const StageAction& sft = state.stage(PipelineStage::Sft).action;
        QCOMPARE(sft.kind, StageAction::Kind::NewConfig);
        QCOMPARE(sft.stage, QString("sft"));
        QVERIFY(sft.values.isEmpty());  // no sample tasks, no model to start from
        QCOMPARE(state.stage(PipelineStage::Labels).action.page, ui::StudioPage::Labeling);
        QCOMPARE(state.stage(PipelineStage::Reward).action.kind,
                 StageAction::Kind::TrainRewardModel);
        const StageAction& policy = state.stage(PipelineStage::Policy).action;
        QCOMPARE(policy.kind, StageAction::Kind::NewConfig);
        QCOMPARE(policy.stage, QString("grpo"));  // no preferences: rule-based rewards
        QCOMPARE(state.stage(PipelineStage::Evaluate).action.page, ui::StudioPage::Playground);
        QCOMPARE(state.stage(PipelineStage::Export).action.page, ui::StudioPage::Runs);
    }

    void dataAndTokenizerShowWhatTheyHold() {
        PipelineWorkspace workspace;
        workspace.write("datasets/raw/sources.txt", "/raw/a.txt\n");  // listed, not cleaned
        ui::PipelineState listed = readState(workspace);
        QCOMPARE(listed.stage(PipelineStage::Data).status, StageStatus::Todo);
        QVERIFY2(listed.stage(PipelineStage::Data).summary.contains("raw"),
                 qPrintable(listed.stage(PipelineStage::Data).summary));

        workspace.addDataset("sample", 1000, 800, 12000);
        workspace.addTokenizer("sample", 8192);
        // Label snapshots and task sets in datasets/ are not corpora.
        workspace.write("datasets/labels/labels-20250101-000000.jsonl", "{}\n");
        workspace.write("datasets/sample-tasks/test.jsonl", "{}\n");
        ui::PipelineState state = readState(workspace);
        const ui::StageState& data = state.stage(PipelineStage::Data);
        QCOMPARE(data.status, StageStatus::Done);
        QCOMPARE(data.numItems, 1);
        QVERIFY2(data.summary.contains("sample"), qPrintable(data.summary));
        QCOMPARE(data.headlineValue, 12000.0);
        QVERIFY2(data.headline.contains("12.0K tokens"), qPrintable(data.headline));
        const ui::StageState& tokenizer = state.stage(PipelineStage::Tokenizer);
        QCOMPARE(tokenizer.status, StageStatus::Done);
        QCOMPARE(tokenizer.numItems, 1);
        QCOMPARE(tokenizer.headlineValue, 8192.0);  // as the history recorded it
        QCOMPARE(state.next(), PipelineStage::Pretrain);

        // A cleaned dataset without shards headlines its funnel; a tokenizer the history has not
        // recorded takes the vocabulary size its shard set's manifest names.
        PipelineWorkspace cleaned;
        cleaned.write("datasets/web/clean.jsonl.zst", "not read");
        cleaned.write("datasets/web/funnel.json",
                      "{\"input\": {\"documents\": 50}, \"output\": {\"documents\": 30}}");
        cleaned.addDataset("other", 10, 10, 100);
        std::filesystem::remove(cleaned.root / "datasets/other/clean.jsonl.zst");
        std::filesystem::remove(cleaned.root / "datasets/other/funnel.json");
        std::filesystem::last_write_time(
            cleaned.root / "datasets/web/clean.jsonl.zst",
            std::filesystem::last_write_time(cleaned.root / "datasets/other/shards/manifest.json") +
                std::chrono::hours(1));
        cleaned.write("tokenizers/other/tokenizer.json", "{}");
        ui::PipelineState fromFunnel = readState(cleaned);
        QCOMPARE(fromFunnel.stage(PipelineStage::Data).numItems, 2);
        QCOMPARE(fromFunnel.stage(PipelineStage::Data).headlineValue, 30.0);
        QVERIFY2(fromFunnel.stage(PipelineStage::Data).headline.contains("30 of 50 documents"),
                 qPrintable(fromFunnel.stage(PipelineStage::Data).headline));
        QCOMPARE(fromFunnel.stage(PipelineStage::Tokenizer).headlineValue, 512.0);
    }

    void anImportedModelIsWhereFineTuningStarts() {
        PipelineWorkspace workspace;
        model_spec::ModelConfig config = workspace.addModel("smol");
        workspace.write("datasets/sample-tasks/sft.jsonl", "{}\n");
        workspace.write("datasets/sample-tasks/tasks.jsonl", "{}\n");
        ui::PipelineState state = readState(workspace);
        const ui::StageState& pretrain = state.stage(PipelineStage::Pretrain);
        QCOMPARE(pretrain.status, StageStatus::Done);
        QCOMPARE(pretrain.numItems, 1);
        QVERIFY2(pretrain.summary.contains("imported: smol (llama"), qPrintable(pretrain.summary));
        QCOMPARE(pretrain.headlineValue, double(model_spec::countParameters(config).total()));
        // Nothing to clean or tokenize first: fine-tuning the imported model comes next.
        QCOMPARE(state.next(), PipelineStage::Sft);
        // The Fine-tune dialog, with the model and the sample's examples chosen.
        const StageAction& sft = state.stage(PipelineStage::Sft).action;
        QCOMPARE(sft.kind, StageAction::Kind::FineTune);
        QCOMPARE(sft.values.value("init.model"), path(workspace.root / "models" / "smol"));
        QCOMPARE(sft.values.value("data.train"),
                 path(workspace.root / "datasets" / "sample-tasks" / "sft.jsonl"));
        const StageAction& policy = state.stage(PipelineStage::Policy).action;
        QCOMPARE(policy.stage, QString("grpo"));
        QCOMPARE(policy.values.value("data.train"),
                 path(workspace.root / "datasets" / "sample-tasks" / "tasks.jsonl"));

        // Once something was pretrained here, the New Config dialog's checkpoint picker chooses
        // what SFT starts from.
        workspace.addRun("tiny", "pretrain", store::RunState::Completed, 5, 3.0, {}, {5});
        ui::PipelineState pretrained = readState(workspace);
        QVERIFY(!pretrained.stage(PipelineStage::Sft).action.values.contains("init.model"));
        QCOMPARE(pretrained.stage(PipelineStage::Sft).action.kind, StageAction::Kind::NewConfig);
        // The run's loss is the headline now; the model's size moves to the summary.
        QCOMPARE(pretrained.stage(PipelineStage::Pretrain).headlineValue, 3.0);
        QVERIFY2(pretrained.stage(PipelineStage::Pretrain).summary.contains("parameters"),
                 qPrintable(pretrained.stage(PipelineStage::Pretrain).summary));
    }

    void runsAndLabelsShowInTheirStages() {
        PipelineWorkspace workspace;
        workspace.addDataset("sample", 100, 90, 5000);
        workspace.addTokenizer("sample", 512);
        workspace.addRun("old-pretrain", "pretrain", store::RunState::Failed, 3, 9.0);
        const int64_t pretrain =
            workspace.addRun("pretrain", "pretrain", store::RunState::Completed, 10, 3.25,
                             {{run::validationKey(run::kMetricLoss), 3.5}}, {10});
        const int64_t sft = workspace.addRun("sft", "sft", store::RunState::Running, 4, 1.5);
        const int64_t reward = workspace.addRun("reward", "reward", store::RunState::Failed, 2, 0.7,
                                                {{run::kMetricAccuracy, 0.75}});
        const int64_t grpo = workspace.addRun(
            "grpo", "grpo", store::RunState::Completed, 6, 0.1,
            {{run::kMetricReward, 0.6}, {run::validationKey(run::kMetricExactMatch), 0.425}},
            {3, 6});
        std::vector<int64_t> pairs = workspace.labels.addPairs(
            {{0, "p1", "a", "b"}, {0, "p2", "a", "b"}, {0, "p3", "a", "b"}});
        workspace.labels.label(pairs[0], "ana", store::Choice::A);

        ui::PipelineState state = readState(workspace);
        const ui::StageState& pretrained = state.stage(PipelineStage::Pretrain);
        QCOMPARE(pretrained.status, StageStatus::Done);  // an earlier failure does not matter
        QCOMPARE(pretrained.numItems, 2);
        QCOMPARE(pretrained.latestRun->id, pretrain);
        QCOMPARE(pretrained.latestRun->state, store::RunState::Completed);
        QCOMPARE(pretrained.headlineValue, 3.5);  // validation first
        QVERIFY2(pretrained.headline.contains("3.500"), qPrintable(pretrained.headline));

        const ui::StageState& tuned = state.stage(PipelineStage::Sft);
        QCOMPARE(tuned.status, StageStatus::InProgress);
        QCOMPARE(tuned.latestRun->id, sft);
        QCOMPARE(tuned.headlineValue, 1.5);  // no validation yet: the last step's loss
        QVERIFY2(tuned.headline.contains("final loss 1.500"), qPrintable(tuned.headline));

        const ui::StageState& labels = state.stage(PipelineStage::Labels);
        QCOMPARE(labels.status, StageStatus::Done);
        QCOMPARE(labels.numItems, 3);
        QCOMPARE(labels.headlineValue, 1.0);
        QVERIFY2(labels.headline.contains("1 of 3 pairs labeled"), qPrintable(labels.headline));

        const ui::StageState& rewardStage = state.stage(PipelineStage::Reward);
        QCOMPARE(rewardStage.status, StageStatus::Failed);
        QCOMPARE(rewardStage.latestRun->id, reward);
        QCOMPARE(rewardStage.headlineValue, 0.75);
        QVERIFY2(rewardStage.headline.contains("75.0% accuracy"), qPrintable(rewardStage.headline));

        const ui::StageState& policy = state.stage(PipelineStage::Policy);
        QCOMPARE(policy.status, StageStatus::Done);
        QCOMPARE(policy.latestRun->id, grpo);
        QCOMPARE(policy.latestRun->stage, QString("grpo"));
        QCOMPARE(policy.headlineValue, 0.425);
        QVERIFY2(policy.headline.contains("42.5% held-out exact match"),
                 qPrintable(policy.headline));
        // Preferences and no sample tasks: DPO on the newest labels snapshot.
        workspace.write("datasets/labels/labels-20240101-000000.jsonl", "{}\n");
        workspace.write("datasets/labels/labels-20250101-000000.jsonl", "{}\n");
        const StageAction dpo = readState(workspace).stage(PipelineStage::Policy).action;
        QCOMPARE(dpo.stage, QString("dpo"));
        QCOMPARE(dpo.values.value("data.train"),
                 path(workspace.root / "datasets" / "labels" / "labels-20250101-000000.jsonl"));

        const ui::StageState& evaluate = state.stage(PipelineStage::Evaluate);
        QCOMPARE(evaluate.status, StageStatus::Done);
        QCOMPARE(evaluate.latestRun->id, grpo);
        QCOMPARE(evaluate.headlineValue, 0.425);

        const ui::StageState& exported = state.stage(PipelineStage::Export);
        QCOMPARE(exported.latestRun->id, grpo);  // the newest run with checkpoints
        QCOMPARE(exported.numItems, 2);
        QCOMPARE(exported.status, StageStatus::Todo);
        QCOMPARE(state.next(), PipelineStage::Export);

        // A newer pretraining run under way takes the stage's state.
        workspace.addRun("again", "pretrain", store::RunState::Running, 1, 5.0);
        QCOMPARE(readState(workspace).stage(PipelineStage::Pretrain).status,
                 StageStatus::InProgress);
    }

    void theNextStageFollowsWhatIsDone() {
        PipelineWorkspace workspace;
        workspace.addDataset("sample", 100, 90, 5000);
        QCOMPARE(readState(workspace).next(), PipelineStage::Tokenizer);
        workspace.addTokenizer("sample", 512);
        workspace.addRun("failed", "pretrain", store::RunState::Failed, 2, 8.0);
        ui::PipelineState failed = readState(workspace);
        QCOMPARE(failed.stage(PipelineStage::Pretrain).status, StageStatus::Failed);
        QCOMPARE(failed.next(), PipelineStage::Pretrain);  // to do again
        workspace.addRun("pretrain", "pretrain", store::RunState::Running, 2, 8.0);
        QCOMPARE(readState(workspace).next(), PipelineStage::Sft);
        // Pairs waiting for their first label are still to do.
        workspace.labels.addPairs({{0, "p", "a", "b"}});
        ui::PipelineState waiting = readState(workspace);
        QCOMPARE(waiting.stage(PipelineStage::Labels).status, StageStatus::Todo);
        QCOMPARE(waiting.stage(PipelineStage::Labels).numItems, 1);
        QCOMPARE(waiting.next(), PipelineStage::Sft);
    }
};

QTEST_MAIN(TestPipelineState)
#include "tst_pipeline_state.moc"
