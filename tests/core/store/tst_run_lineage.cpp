// runLineage on a real workspace layout: a run started from another run's checkpoint reaches
// its parent's lineage; the shard set and tokenizer come with the fingerprints the history
// recorded; shards made inside the workspace lead to the cleaned corpus (its funnel counts) and
// the raw sources it came from, a vanished one marked as such; an alignment run's model folders
// lead to the runs they are checkpoints of, and its data files are listed.
#include "core/store/run_lineage.h"
#include "tests/error_of.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

class TestRunLineage : public QObject {
    Q_OBJECT

private slots:
    void aRunLeadsBackToItsRawData() {
        QTemporaryDir tmp;
        fs::path workspace = tmp.path().toStdString();
        fs::path dataset = workspace / "datasets" / "d";
        fs::create_directories(dataset / "shards");
        std::ofstream(dataset / "clean.jsonl.zst") << "";
        std::ofstream(dataset / "funnel.json")
            << R"({"input": {"documents": 10}, "output": {"documents": 7}})";
        std::ofstream(workspace / "raw.jsonl") << "";
        std::ofstream(dataset / "sources.txt")
            << (workspace / "raw.jsonl").string() << "\n/gone/old.jsonl\n";

        store::RunHistory history(workspace / "strata.db");
        history.recordDataset({"datasets/d/shards", "f00d", "{\"train\":3}"});
        std::string config = "[data]\nshards = \"" + (dataset / "shards").string() +
                             "\"\ntokenizer = \"/elsewhere/tokenizer.json\"\n";
        store::NewRun parent{"run-1", "local", "pretrain", config};
        int64_t parentId = history.createRun(parent);
        store::NewRun child{"run-2", "local", "sft", config};
        child.parentRunId = parentId;
        child.parentCheckpoint = "runs/run-1/checkpoints/step-0000010";
        int64_t childId = history.createRun(child);
        history.setTitle(childId, "tuned");

        store::LineageItem lineage = store::runLineage(history, childId, workspace);
        QCOMPARE(lineage.label, std::string("tuned"));
        QVERIFY(lineage.detail.starts_with("sft on local, created, step 0"));
        QCOMPARE(lineage.inputs.size(), size_t(3));
        const store::LineageItem& checkpoint = lineage.inputs[0];
        QCOMPARE(checkpoint.kind, store::LineageKind::Checkpoint);
        QCOMPARE(checkpoint.label, child.parentCheckpoint);
        QCOMPARE(checkpoint.inputs.size(), size_t(1));
        QCOMPARE(checkpoint.inputs[0].label, std::string("run-1"));
        QCOMPARE(checkpoint.inputs[0].inputs.size(), size_t(2));  // no parent: shards, tokenizer

        const store::LineageItem& shards = lineage.inputs[1];
        QCOMPARE(shards.kind, store::LineageKind::Shards);
        QCOMPARE(shards.label, std::string("datasets/d/shards"));
        QVERIFY(shards.detail.find("fingerprint f00d") != std::string::npos);
        QCOMPARE(shards.inputs.size(), size_t(1));
        const store::LineageItem& corpus = shards.inputs[0];
        QCOMPARE(corpus.kind, store::LineageKind::Corpus);
        QCOMPARE(corpus.detail, std::string("7 of 10 documents kept by cleaning"));
        QCOMPARE(corpus.inputs.size(), size_t(2));
        QCOMPARE(corpus.inputs[0].label, (workspace / "raw.jsonl").string());
        QVERIFY(corpus.inputs[0].detail.empty());
        QCOMPARE(corpus.inputs[1].detail, std::string("no longer on this machine"));

        const store::LineageItem& tokenizer = lineage.inputs[2];
        QCOMPARE(tokenizer.kind, store::LineageKind::Tokenizer);
        QCOMPARE(tokenizer.label, std::string("/elsewhere/tokenizer.json"));
        QCOMPARE(tokenizer.detail, std::string("not recorded in the run history"));

        // A deleted parent leaves the checkpoint without its run.
        history.deleteRun(parentId);
        store::LineageItem orphan = store::runLineage(history, childId, workspace).inputs[0];
        QCOMPARE(orphan.kind, store::LineageKind::Checkpoint);
        QCOMPARE(orphan.label, child.parentCheckpoint);
        QCOMPARE(orphan.detail, std::string("its run is no longer in the history"));
        QVERIFY(orphan.inputs.empty());
        QVERIFY(errorOf([&] {
                    store::runLineage(history, 999, workspace);
                }).contains("no run with id 999"));
    }

    void anAlignmentRunLeadsToTheRunsOfItsModels() {
        QTemporaryDir tmp;
        fs::path workspace = tmp.path().toStdString();
        std::ofstream(workspace / "tasks.jsonl") << "";
        store::RunHistory history(workspace / "strata.db");
        auto run = [&](const char* name, const char* stage, const std::string& config) {
            store::NewRun record{name, "local", stage, config};
            record.runDir = (workspace / "runs" / name).string();
            return history.createRun(record);
        };
        auto checkpoint = [&](const char* name) {
            return (workspace / "runs" / name / "checkpoints" / "step-0000004").string();
        };
        int64_t pretrain = run("pre", "pretrain", "[data]\ntokenizer = \"/t/tokenizer.json\"\n");
        run("sft", "sft", "[init]\nmodel = \"" + checkpoint("pre") + "\"\n");
        run("rm", "reward", "[init]\nmodel = \"" + checkpoint("pre") + "\"\n");
        int64_t grpo =
            run("grpo", "grpo",
                "[init]\nmodel = \"" + checkpoint("sft") + "\"\nreward_model = \"" +
                    checkpoint("rm") + "\"\n[data]\ntrain = \"" +
                    (workspace / "tasks.jsonl").string() + "\"\nval = \"/gone/test.jsonl\"\n");

        store::LineageItem lineage = store::runLineage(history, grpo, workspace);
        QCOMPARE(lineage.inputs.size(), size_t(4));
        const store::LineageItem& model = lineage.inputs[0];
        QCOMPARE(model.kind, store::LineageKind::Checkpoint);
        QCOMPARE(model.label, std::string("runs/sft/checkpoints/step-0000004"));
        QCOMPARE(model.detail, std::string("the model it started from"));
        QCOMPARE(model.inputs.size(), size_t(1));
        QCOMPARE(model.inputs[0].label, std::string("sft"));
        // SFT's own model leads on to the pretraining run.
        QCOMPARE(model.inputs[0].inputs[0].inputs[0].label, std::string("pre"));
        const store::LineageItem& reward = lineage.inputs[1];
        QCOMPARE(reward.detail, std::string("the reward model it scored with"));
        QCOMPARE(reward.inputs[0].label, std::string("rm"));
        QCOMPARE(lineage.inputs[2].kind, store::LineageKind::Data);
        QCOMPARE(lineage.inputs[2].label, std::string("tasks.jsonl"));
        QCOMPARE(lineage.inputs[2].detail, std::string("data.train"));
        QCOMPARE(lineage.inputs[3].detail, std::string("data.val, no longer on this machine"));

        // A model folder no run of the history holds says so.
        history.deleteRun(pretrain);
        store::LineageItem sft = store::runLineage(history, grpo, workspace).inputs[0].inputs[0];
        QCOMPARE(
            sft.inputs[0].detail,
            std::string("the model it started from, not a checkpoint of a run in the history"));
        QVERIFY(sft.inputs[0].inputs.empty());
    }
};

QTEST_APPLESS_MAIN(TestRunLineage)
#include "tst_run_lineage.moc"
