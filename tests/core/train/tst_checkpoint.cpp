// Checkpoints: a saved and loaded checkpoint restores weights, router biases, AdamW state and
// RNG exactly; a checkpoint of another model or tokenizer, an incomplete one and a corrupt one
// are refused with the folder or file named; pruning keeps the newest and the best; staging
// never shows.
#include "core/model/model_folder.h"
#include "core/model/safetensors.h"
#include "core/train/checkpoint.h"
#include "core/train/optimizer.h"
#include "tests/error_of.h"
#include "tiny_run.h"

#include <torch/torch.h>
#include <QtTest>

#include <set>

using namespace strata;
namespace fs = std::filesystem;

namespace {

struct Setup {
    run::RunConfig config;
    model::Transformer model{nullptr};
    std::unique_ptr<torch::optim::AdamW> optimizer;

    explicit Setup(const run::RunConfig& runConfig, uint64_t seed) : config(runConfig) {
        torch::manual_seed(seed);
        model = model::Transformer(config.model);
        optimizer = train::makeAdamW(*model, config.optim);
    }
    void trainOneStep() {
        torch::Tensor tokens = torch::randint(config.model.vocabSize, {2, 9});
        auto out = model->forward(tokens.narrow(1, 0, 8));
        torch::nn::functional::cross_entropy(out.logits_BTV.reshape({-1, config.model.vocabSize}),
                                             tokens.narrow(1, 1, 8).reshape({-1}))
            .backward();
        optimizer->step();
    }
};

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_data;
    std::string m_fingerprint;

    fs::path path(const char* name) const { return fs::path(m_tmp.path().toStdString()) / name; }

private slots:
    void initTestCase() {
        m_data = path("data");
        tiny::writeData(m_data, 100);
        m_fingerprint = tokenizer::tokenizerFingerprint(m_data / "tokenizer.json");
    }

    void roundTripRestoresEverything() {
        Setup saved(tiny::config(m_data), 1);
        saved.trainOneStep();
        saved.trainOneStep();
        train::TrainerState state{2, 128, 3.5, 3.25, m_fingerprint};
        fs::path folder =
            train::saveCheckpoint(path("run"), saved.config, saved.model, *saved.optimizer, state);
        QCOMPARE(folder, path("run") / "checkpoints" / "step-0000002");
        QCOMPARE(train::latestCheckpoint(path("run")), std::optional<fs::path>(folder));
        torch::Tensor nextDraw = torch::rand({4});

        Setup loaded(tiny::config(m_data), 2);  // other initial weights
        train::TrainerState restored = train::loadCheckpoint(folder, loaded.config, m_fingerprint,
                                                             loaded.model, *loaded.optimizer);
        QCOMPARE(restored.step, int64_t(2));
        QCOMPARE(restored.tokens, int64_t(128));
        QCOMPARE(restored.valLoss, 3.5);
        QCOMPARE(restored.bestValLoss, 3.25);
        QVERIFY(torch::equal(torch::rand({4}), nextDraw));  // the CPU generator was restored

        // The folder is a model folder: generate and export load it as it is.
        model::LoadedModel model = model::loadModelFolder(folder);
        QVERIFY(model.config == saved.config.model);
        QVERIFY(fs::exists(folder / "run.toml"));
        for (const auto& entry : fs::directory_iterator(path("run") / "checkpoints"))
            QVERIFY2(entry.path().filename().string().find(".tmp") == std::string::npos,
                     entry.path().c_str());
    }

    void loadedWeightsAndMomentsAreExact() {
        Setup saved(tiny::config(m_data), 4);
        saved.trainOneStep();
        fs::path folder = train::saveCheckpoint(path("exact"), saved.config, saved.model,
                                                *saved.optimizer, {1, 0, -1, -1, m_fingerprint});
        Setup loaded(tiny::config(m_data), 5);
        train::loadCheckpoint(folder, loaded.config, m_fingerprint, loaded.model,
                              *loaded.optimizer);
        auto loadedParameters = loaded.model->named_parameters();
        for (const auto& item : saved.model->named_parameters()) {
            const torch::Tensor& twin = loadedParameters[item.key()];
            QVERIFY2(torch::equal(item.value(), twin), item.key().c_str());
            auto& left = static_cast<torch::optim::AdamWParamState&>(
                *saved.optimizer->state().at(item.value().unsafeGetTensorImpl()));
            auto& right = static_cast<torch::optim::AdamWParamState&>(
                *loaded.optimizer->state().at(twin.unsafeGetTensorImpl()));
            QVERIFY(torch::equal(left.exp_avg(), right.exp_avg()));
            QVERIFY(torch::equal(left.exp_avg_sq(), right.exp_avg_sq()));
            QCOMPARE(left.step(), right.step());
        }
        auto savedBuffers = saved.model->named_buffers();
        for (const auto& item : loaded.model->named_buffers())
            QVERIFY2(torch::equal(item.value(), savedBuffers[item.key()]), item.key().c_str());
    }

    void refusesAnotherModelOrTokenizer() {
        Setup saved(tiny::config(m_data), 6);
        fs::path folder = train::saveCheckpoint(path("refuse"), saved.config, saved.model,
                                                *saved.optimizer, {3, 0, -1, -1, m_fingerprint});
        Setup other(tiny::config(m_data, {"model.moe.top_k=1"}), 6);
        QString error = errorOf([&] {
            train::loadCheckpoint(folder, other.config, m_fingerprint, other.model,
                                  *other.optimizer);
        });
        QVERIFY2(error.contains("step-0000003: the checkpoint's model does not match the config: "
                                "model.moe.top_k is 2 there, 1 here"),
                 qPrintable(error));
        error = errorOf([&] {
            train::loadCheckpoint(folder, saved.config, "0123456789abcdef", saved.model,
                                  *saved.optimizer);
        });
        QVERIFY2(error.contains("trained with another tokenizer"), qPrintable(error));
    }

    void refusesIncompleteAndCorruptCheckpoints() {
        Setup saved(tiny::config(m_data), 7);
        fs::path folder = train::saveCheckpoint(path("broken"), saved.config, saved.model,
                                                *saved.optimizer, {1, 0, -1, -1, m_fingerprint});
        auto load = [&] {
            train::loadCheckpoint(folder, saved.config, m_fingerprint, saved.model,
                                  *saved.optimizer);
        };
        fs::resize_file(folder / "model.safetensors",
                        fs::file_size(folder / "model.safetensors") - 10);
        QString error = errorOf(load);
        QVERIFY2(error.contains("model.safetensors"), qPrintable(error));

        fs::remove(folder / "optimizer.safetensors");
        error = errorOf(load);
        QVERIFY2(error.contains("not a complete checkpoint (optimizer.safetensors is missing)"),
                 qPrintable(error));

        std::ofstream(folder / "trainer_state.json") << "{\"format\": \"strata-trainer-state\"";
        error = errorOf([&] { train::pruneCheckpoints(path("broken"), 1, true); });
        QVERIFY2(error.contains("trainer_state.json: not valid JSON"), qPrintable(error));

        error = errorOf([&] {
            train::loadCheckpoint(path("nowhere"), saved.config, m_fingerprint, saved.model,
                                  *saved.optimizer);
        });
        QVERIFY2(error.contains("nowhere: no such checkpoint"), qPrintable(error));
    }

    void refusesCorruptOptimizerState_data() {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("expected");
        QTest::newRow("step") << "block1.moe.router.gate.weight.step"
                              << "tensor 'block1.moe.router.gate.weight.step' must be one "
                                 "non-negative int64";
        QTest::newRow("moment") << "final_norm.weight.exp_avg"
                                << "tensor 'final_norm.weight.exp_avg' does not match its "
                                   "parameter's shape";
        QTest::newRow("rng") << "rng.cpu"
                             << "tensor 'rng.cpu' is not a generator state";
    }
    void refusesCorruptOptimizerState() {
        QFETCH(QString, tensor);
        QFETCH(QString, expected);
        Setup saved(tiny::config(m_data), 9);
        saved.trainOneStep();
        fs::path folder = train::saveCheckpoint(path("corrupt"), saved.config, saved.model,
                                                *saved.optimizer, {1, 0, -1, -1, m_fingerprint});
        // Rewrite one tensor of a well-formed file with the wrong shape.
        model::SafetensorsContent content =
            model::loadSafetensors(folder / "optimizer.safetensors");
        model::NamedTensors tensors(content.tensors.begin(), content.tensors.end());
        for (auto& [name, value] : tensors)
            if (name == tensor.toStdString()) value = torch::zeros({3}, value.options());
        model::saveSafetensors(folder / "optimizer.safetensors", tensors);
        QString error = errorOf([&] {
            train::loadCheckpoint(folder, saved.config, m_fingerprint, saved.model,
                                  *saved.optimizer);
        });
        QVERIFY2(error.contains("optimizer.safetensors: " + expected), qPrintable(error));
        fs::remove_all(path("corrupt"));
    }

    void pruningKeepsTheNewestAndTheBest() {
        Setup saved(tiny::config(m_data), 8);
        const double losses[] = {5.0, 2.0, 4.0, 3.0, 3.5};
        for (int i = 0; i < 5; ++i)
            train::saveCheckpoint(path("prune"), saved.config, saved.model, *saved.optimizer,
                                  {i + 1, 0, losses[i], 2.0, m_fingerprint});
        train::pruneCheckpoints(path("prune"), 2, true);
        std::set<std::string> kept;
        for (const auto& entry : fs::directory_iterator(path("prune") / "checkpoints"))
            kept.insert(entry.path().filename().string());
        QCOMPARE(kept, (std::set<std::string>{"step-0000002", "step-0000004", "step-0000005"}));
        train::pruneCheckpoints(path("prune"), 1, false);
        QCOMPARE(train::latestCheckpoint(path("prune")),
                 std::optional<fs::path>(path("prune") / "checkpoints" / "step-0000005"));
        QVERIFY(!fs::exists(path("prune") / "checkpoints" / "step-0000002"));
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
