// PPO as a run: the first step's KL to the reference is exactly 0 (the policy is the reference),
// every metric of an iteration is reported, the rollout inspector gets the responses asked for, a
// resumed run continues exactly (the value head and the adaptive KL coefficient are in the
// checkpoint), the reward model scores and serves as the critic, and a reward model trained with
// another tokenizer is refused by name.
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"
#include "tests/core/align/tiny_alignment.h"
#include "tests/error_of.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestPpoTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_root = tiny::writeAlignmentSetup(m_dir, {{"tasks.jsonl", tiny::echoTasks(40, 1)},
                                                   {"pairs.jsonl", tiny::shorterIsBetter(40)}});
    }

    void reportsEveryMetricAndStartsAtTheReference() {
        auto sink = tiny::runStage(ppoConfig({"train.max_steps=2"}), m_root / "metrics");
        QCOMPARE(sink->steps.size(), size_t(2));
        const std::vector<run::NamedValue>& first = sink->steps[0].extra;
        QCOMPARE(tiny::metric(first, "kl"), 0.0);
        for (const char* name :
             {"reward", "reward_correctness", "reward_coherence", "reward_diversity",
              "reward_safety", "response_length", "kl_coef", "policy_loss", "value_loss", "entropy",
              "approx_kl", "clip_fraction"})
            QVERIFY2(std::isfinite(tiny::metric(first, name)), name);
        QVERIFY(tiny::metric(first, "entropy") > 0);
        QVERIFY(tiny::metric(first, "response_length") >= 1);
        // Two epochs of two minibatches: the policy moved from its samples' log-probabilities.
        QVERIFY(tiny::metric(first, "approx_kl") > 0);
        QVERIFY(tiny::metric(sink->steps[1].extra, "kl") != 0.0);
        // Every response of the first step has a KL of exactly 0 at every token.
        const run::InspectedRollouts& inspected = sink->steps[0].rollouts;
        QCOMPARE(inspected.responses.size(), size_t(4));
        QCOMPARE(inspected.klEstimator, std::string("k1"));
        for (const run::SampledResponse& response : inspected.responses) {
            QCOMPARE(response.kl.size(), response.tokens.size());
            for (double kl : response.kl)
                QCOMPARE(kl, 0.0);
        }
    }

    // In the run's precision (bf16 autocast here, as on a GPU) the old log-probabilities and the
    // first update's agree bit for bit: the first epoch's ratio is exactly 1 and nothing is
    // clipped. (That the rollouts are sampled in that precision too shows only on a GPU.)
    void theFirstRatioIsOneInTheRunsPrecision() {
        auto sink = tiny::runStage(ppoConfig({"train.max_steps=1", "train.precision=bf16",
                                              "ppo.epochs=1", "ppo.minibatches=1"}),
                                   m_root / "precision");
        QCOMPARE(tiny::metric(sink->steps[0].extra, "approx_kl"), 0.0);
        QCOMPARE(tiny::metric(sink->steps[0].extra, "clip_fraction"), 0.0);
    }

    void theInspectorRecordsSomeResponsesOfSomeSteps() {
        auto sink = tiny::runStage(
            ppoConfig({"train.max_steps=4", "ppo.inspect_responses=3", "ppo.inspect_every=2"}),
            m_root / "inspector");
        QCOMPARE(sink->steps.size(), size_t(4));
        QVERIFY(sink->steps[0].rollouts.responses.empty());
        QVERIFY(sink->steps[2].rollouts.responses.empty());
        const run::InspectedRollouts& inspected = sink->steps[3].rollouts;
        QCOMPARE(inspected.responses.size(), size_t(3));
        const tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(m_root / "tokenizer.json");
        const tokenizer::ChatTemplate chat =
            tokenizer::modelChatTemplate(m_root / "init", tokenizer);
        // The reward is the weighted sum of the parts listed, and the weights are the config's.
        QCOMPARE(inspected.weights.size(), size_t(4));
        QCOMPARE(inspected.weights[0].name, std::string("correctness"));
        QCOMPARE(inspected.weights[0].value, 0.4);
        for (const run::SampledResponse& response : inspected.responses) {
            double total = 0;
            for (size_t i = 0; i < response.parts.size(); ++i)
                total += inspected.weights[i].value * response.parts[i].value;
            QVERIFY(std::abs(total - response.reward) < 1e-12);
            QVERIFY(!response.reference.empty());
            // The prompt as the policy read it: the task through the model's chat template.
            QCOMPARE(response.prompt,
                     chat.render({{tokenizer::Role::User, "Echo: " + response.reference}}, true));
            QVERIFY(!response.advantage);
            QVERIFY(!response.tokens.empty() && response.tokens.size() <= 4);
            QCOMPARE(response.kl.size(), response.tokens.size());
            // The response's text is its tokens before the end of the turn, unless a token is
            // part of a character (shown as its bytes, "‹E7 BB›").
            std::string joined;
            bool whole = true;
            for (const std::string& token : response.tokens) {
                joined += token;
                whole = whole && !token.starts_with("‹");
            }
            if (whole) QVERIFY2(joined.starts_with(response.response), joined.c_str());
        }
    }

    void resumingContinuesExactly() {
        // Warm-up over the first two steps: the learning rate then does not depend on max_steps.
        const std::vector<std::string> adaptive{"ppo.adaptive_kl=true", "ppo.kl_target=0.001",
                                                "ppo.kl_horizon=10", "checkpoint.every=2",
                                                "schedule.warmup_steps=2"};
        auto straight = tiny::runStage(ppoConfig(adaptive, 4), m_root / "straight");
        tiny::runStage(ppoConfig(adaptive, 2), m_root / "resumed");
        auto resumed = tiny::runStage(ppoConfig(adaptive, 4), m_root / "resumed", true);
        QCOMPARE(resumed->steps.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            const run::StepMetrics &a = straight->steps[2 + i], &b = resumed->steps[i];
            QCOMPARE(b.step, a.step);
            QCOMPARE(b.loss, a.loss);
            QCOMPARE(tiny::metric(b.extra, "reward"), tiny::metric(a.extra, "reward"));
            QCOMPARE(tiny::metric(b.extra, "kl_coef"), tiny::metric(a.extra, "kl_coef"));
        }
        // The adaptive coefficient followed the KL: 0 at the first step (the policy is the
        // reference), so the error clipped at -0.2 lowered it by 0.2 * 4 samples / 10.
        QCOMPARE(tiny::metric(straight->steps[0].extra, "kl_coef"), 0.05);
        QVERIFY(std::abs(tiny::metric(straight->steps[1].extra, "kl_coef") - 0.05 * 0.92) < 1e-12);
    }

    void theRewardModelScoresAndServesAsTheCritic() {
        tiny::runStage(
            tiny::stageConfig(m_root, "reward", "pairs.jsonl",
                              {"train.max_steps=2", "train.eval_every=0", "checkpoint.every=2"}),
            m_root / "reward");
        std::filesystem::path rewardModel = train::checkpointFolder(m_root / "reward", 2);
        auto sink = tiny::runStage(
            ppoConfig({"train.max_steps=2", "init.reward_model=" + rewardModel.string(),
                       "rewards.model=1", "ppo.value_model=reward_model"}),
            m_root / "critic");
        QVERIFY(std::isfinite(tiny::metric(sink->steps[0].extra, "reward_model")));
        std::filesystem::path checkpoint = train::checkpointFolder(m_root / "critic", 2);
        QVERIFY(std::filesystem::exists(checkpoint / "critic.safetensors"));
        QVERIFY(!std::filesystem::exists(checkpoint / "value_head.safetensors"));
    }

    void aRewardModelOfAnotherTokenizerIsRefused() {
        // The same model with a tokenizer trained on fewer documents: other merges.
        std::filesystem::path other = m_root / "other";
        tiny::writeData(other, 40);
        std::filesystem::create_directories(other / "model");
        for (const char* file : {"model.toml", "model.safetensors"})
            std::filesystem::copy_file(m_root / "init" / file, other / "model" / file);
        std::filesystem::copy_file(other / "tokenizer.json", other / "model" / "tokenizer.json");
        QString error = errorOf([&] {
            tiny::runStage(
                ppoConfig({"init.reward_model=" + (other / "model").string(), "rewards.model=1"}),
                m_root / "mismatch");
        });
        QVERIFY2(error.contains("init.reward_model was trained with another tokenizer than the "
                                "policy"),
                 qPrintable(error));
        QVERIFY(!std::filesystem::exists(m_root / "mismatch"));
    }

private:
    run::RunConfig ppoConfig(std::vector<std::string> overrides, int maxSteps = 0) {
        overrides.insert(overrides.begin(),
                         {"train.eval_every=0", "train.micro_batch_size=4", "ppo.max_new_tokens=4",
                          "ppo.epochs=2", "optim.lr=1e-3", "schedule.warmup_steps=0"});
        if (maxSteps > 0) overrides.push_back(fmt::format("train.max_steps={}", maxSteps));
        return tiny::stageConfig(m_root, "ppo", "tasks.jsonl", overrides);
    }

    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestPpoTrainer)
#include "tst_ppo_trainer.moc"
