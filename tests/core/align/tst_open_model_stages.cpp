// Every alignment stage on a model of an open family, as a user starts from one: a small random
// Llama with SmolLM2-135M-Instruct's real tokenizer and chat template (the reference folder
// scripts/bootstrap makes) goes through SFT with LoRA, a reward model, DPO, PPO with that reward
// model and GRPO, two steps each. Every checkpoint keeps the family, the tokenizer's companions
// and the template (so the next stage reads the same conversations), SFT trains the template's
// end-of-turn token, and the last checkpoint exports as a LlamaForCausalLM. Skipped, saying why,
// when the reference folder is not set up.
#include "core/model/hf_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"
#include "core/train/checkpoint.h"
#include "tests/core/align/tiny_alignment.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace strata;
namespace fs = std::filesystem;

namespace {

const fs::path kSmollm2 = fs::path(STRATA_REFERENCE_DIR) / "smollm2" / "hf";

model_spec::ModelConfig smallLlama() {
    model_spec::ModelConfig config{.vocabSize = 49152,
                                   .dModel = 32,
                                   .numLayers = 2,
                                   .contextLength = 64,
                                   .tiedEmbeddings = true,
                                   .numDenseLayers = 2,
                                   .denseHiddenSize = 64,
                                   .attention = {.numHeads = 4, .numKvHeads = 2}};
    config.family = model_spec::ModelFamily::Llama;
    return config;
}

}  // namespace

class TestOpenModelStages : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_root;

    // Runs `stage` for two steps from `init` with `overrides`; returns its last checkpoint.
    fs::path runTwoSteps(const char* stage, const std::string& train, const fs::path& init,
                         std::vector<std::string> overrides = {}) {
        for (const char* setting :
             {"train.max_steps=2", "train.eval_every=2", "train.eval_batches=1",
              "checkpoint.every=2", "train.micro_batch_size=4"})
            overrides.emplace_back(setting);
        overrides.push_back("init.model=" + init.string());
        auto sink =
            tiny::runStage(tiny::stageConfig(m_root, stage, train, overrides), m_root / stage);
        m_logs[stage] = sink->logs;
        if (sink->finished != std::vector<run::RunStatus>{run::RunStatus::Completed}) return {};
        for (const run::StepMetrics& step : sink->steps)
            if (!std::isfinite(step.loss)) return {};
        return train::checkpointFolder(m_root / stage, 2);
    }

    // A checkpoint of a stage from the imported model is still that model, with its files.
    void checkKeepsTheModel(const fs::path& checkpoint) {
        QVERIFY2(!checkpoint.empty(), "the stage did not complete with finite losses");
        QCOMPARE(model::readModelFolderConfig(checkpoint).family, model_spec::ModelFamily::Llama);
        QVERIFY(fs::exists(checkpoint / model::kTokenizerConfigFile));
        tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(checkpoint);
        tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(checkpoint, tokenizer);
        std::vector<tokenizer::TokenId> prompt =
            chat.encodePrompt({{tokenizer::Role::User, "Echo: 4"}});
        QCOMPARE(prompt.front(), *tokenizer.findAddedToken("<|im_start|>"));
        QCOMPARE(chat.endOfTurn(), *tokenizer.findAddedToken("<|im_end|>"));
    }

    std::map<std::string, std::vector<std::string>> m_logs;

private slots:
    void initTestCase() {
        if (std::string_view(STRATA_REFERENCE_DIR).empty() ||
            !fs::exists(kSmollm2 / model::kTokenizerFile))
            QSKIP(
                "the SmolLM2 reference folder is not set up: run scripts/bootstrap and configure "
                "with -DSTRATA_REFERENCE_DIR=<its reference folder>");
        m_root = tiny::writeAlignmentSetup(m_dir, {{"sft.jsonl", tiny::echoTasks(40, 1, true)},
                                                   {"pairs.jsonl", tiny::shorterIsBetter(40)},
                                                   {"tasks.jsonl", tiny::echoTasks(40, 2)}});
        // The open model replaces the tiny one: its own tokenizer, template and family.
        fs::remove_all(m_root / "init");
        fs::create_directories(m_root / "init");
        torch::manual_seed(3);
        model::Transformer model(smallLlama());
        model::writeModelFiles(m_root / "init", smallLlama(), model,
                               kSmollm2 / model::kTokenizerFile);
    }

    void everyStageKeepsTheOpenModel() {
        try {
            everyStage();
        } catch (const std::exception& error) {
            QFAIL(error.what());
        }
    }

private:
    void everyStage() {
        fs::path sft = runTwoSteps("sft", "sft.jsonl", m_root / "init", {"sft.lora=true"});
        checkKeepsTheModel(sft);
        for (const std::string& line : m_logs["sft"])
            QVERIFY2(line.find("end-of-turn") == std::string::npos, line.c_str());

        fs::path reward = runTwoSteps("reward", "pairs.jsonl", sft);
        checkKeepsTheModel(reward);
        checkKeepsTheModel(runTwoSteps("dpo", "pairs.jsonl", sft));
        checkKeepsTheModel(runTwoSteps(
            "ppo", "tasks.jsonl", sft,
            {"init.reward_model=" + reward.string(), "rewards.model=0.5", "ppo.max_new_tokens=4"}));
        fs::path grpo =
            runTwoSteps("grpo", "tasks.jsonl", sft, {"grpo.max_new_tokens=4", "grpo.group_size=4"});
        checkKeepsTheModel(grpo);

        QCOMPARE(model::exportHfFolder(grpo, m_root / "exported", {}),
                 model_spec::ModelFamily::Llama);
        QFile config(QString::fromStdString((m_root / "exported" / "config.json").string()));
        QVERIFY(config.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(config.readAll())["architectures"][0].toString(),
                 QString("LlamaForCausalLM"));
    }
};

QTEST_APPLESS_MAIN(TestOpenModelStages)
#include "tst_open_model_stages.moc"
