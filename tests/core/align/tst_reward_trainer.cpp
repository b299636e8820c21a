// The reward model as a run: it learns a synthetic preference (the shorter of two responses) to
// high held-out accuracy, its checkpoint loads back as a reward model with its normalization
// statistics (unusable ones are an error), identical pairs are skipped and counted, and too few
// pairs to hold out a validation split is an error naming the file.
#include "core/align/preference_batch.h"
#include "core/align/preference_trainer.h"
#include "core/align/reward_model.h"
#include "core/model/safetensors.h"
#include "tests/core/align/tiny_alignment.h"
#include "tests/error_of.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

class TestRewardTrainer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        std::vector<std::string> pairs = tiny::shorterIsBetter(200);
        pairs.push_back(R"({"prompt": "p", "chosen": "same", "rejected": "same"})");
        m_root = tiny::writeAlignmentSetup(m_dir, {{"pairs.jsonl", pairs}});
    }

    void learnsAPreferenceToHighHeldOutAccuracy() {
        run::RunConfig config =
            tiny::stageConfig(m_root, "reward", "pairs.jsonl",
                              {"train.max_steps=40", "train.eval_every=20", "train.eval_batches=5",
                               "checkpoint.every=40", "optim.lr=3e-3", "schedule.warmup_steps=4"});
        auto sink = tiny::runStage(config, m_root / "run");
        QCOMPARE(sink->evals.size(), size_t(3));
        const run::EvalMetrics &first = sink->evals.front(), &last = sink->evals.back();
        QVERIFY2(tiny::metric(last.extra, "accuracy") >= 0.95,
                 qPrintable(QString::number(tiny::metric(last.extra, "accuracy"))));
        QVERIFY(last.loss < 0.5 * first.loss);
        QVERIFY(tiny::metric(last.extra, "margin") > tiny::metric(first.extra, "margin"));
        QVERIFY(!std::isnan(tiny::metric(sink->steps.back().extra, "accuracy")));
        // The one pair with identical responses was skipped and said so.
        QCOMPARE(sink->logs.size(), size_t(1));
        QVERIFY(sink->logs[0].find("skipped 1 preference pairs") != std::string::npos);
        // The run keeps the pairs it learned from, whatever happens to data.train later.
        QCOMPARE(data::readPreferences(m_root / "run" / align::kPreferencesSnapshot).pairs.size(),
                 size_t(200));

        // The checkpoint scores like the trained model: chosen above rejected on held-out pairs,
        // with the saved statistics making the scores roughly standard.
        align::RewardModel reward =
            align::loadRewardModel(train::checkpointFolder(m_root / "run", 40));
        QVERIFY(reward.head->std.item<double>() != 1.0);
        tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(m_root / "tokenizer.json");
        tokenizer::ChatTemplate chat(tokenizer);
        data::PreferenceData pairs = data::readPreferences(m_root / "pairs.jsonl");
        std::vector<const data::Preference*> some;
        for (size_t i = 0; i < 40; ++i)
            some.push_back(&pairs.pairs[i]);
        torch::NoGradGuard noGrad;
        reward.body->eval();
        torch::Tensor scores = reward.head->normalize(align::lastTokenRewards(
            reward.body, reward.head, align::preferenceBatch(some, chat, 64, torch::kCPU)));
        torch::Tensor chosen = scores.narrow(0, 0, 40), rejected = scores.narrow(0, 40, 40);
        QVERIFY((chosen > rejected).to(torch::kFloat32).mean().item<double>() >= 0.95);
        QVERIFY(std::abs(scores.mean().item<double>()) < 0.5);
        QVERIFY(std::abs(scores.std().item<double>() - 1.0) < 0.5);
    }

    void unusableStatisticsAreAnError() {
        // The trained checkpoint with a reward spread of 0, which would divide by zero.
        std::filesystem::path broken = m_root / "broken";
        std::filesystem::copy(train::checkpointFolder(m_root / "run", 40), broken);
        model::SafetensorsContent head = model::loadSafetensors(broken / "reward_head.safetensors");
        model::NamedTensors tensors(head.tensors.begin(), head.tensors.end());
        for (auto& [name, tensor] : tensors)
            if (name == "std") tensor = torch::zeros({});
        model::saveSafetensors(broken / "reward_head.safetensors", tensors);
        QString error = errorOf([&] { align::loadRewardModel(broken); });
        QVERIFY2(error.contains("broken: reward_head.safetensors: the reward statistics (mean"),
                 qPrintable(error));
        QVERIFY2(error.contains("std 0) are not usable"), qPrintable(error));
    }

    void tooFewPairsToHoldOutIsAnError() {
        tiny::writeLines(m_root / "few.jsonl", tiny::shorterIsBetter(3));
        run::RunConfig config = tiny::stageConfig(m_root, "reward", "few.jsonl");
        QString error = errorOf([&] { tiny::runStage(config, m_root / "few"); });
        QVERIFY2(error.contains("few.jsonl: 3 preference pairs are too few to hold out"),
                 qPrintable(error));
        QVERIFY(!std::filesystem::exists(m_root / "few" / "checkpoints"));
    }

    void aModelFolderWithoutTheHeadIsNotARewardModel() {
        QString error = errorOf([&] { align::loadRewardModel(m_root / "init"); });
        QVERIFY2(error.contains("init: not a reward model (reward_head.safetensors is missing)"),
                 qPrintable(error));
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_root;
};

QTEST_GUILESS_MAIN(TestRewardTrainer)
#include "tst_reward_trainer.moc"
