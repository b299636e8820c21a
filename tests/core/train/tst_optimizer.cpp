// AdamW groups: every parameter exactly once; matrices decayed, norms and the embedding not; and
// the fused update against LibTorch's own AdamW.
#include "core/model/transformer.h"
#include "core/train/optimizer.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;

class TestOptimizer : public QObject {
    Q_OBJECT

private slots:
    void decayOnlyOnMatrices() {
        model_spec::ModelConfig config{
            .vocabSize = 32, .dModel = 16, .numLayers = 2, .moe = {.expertHiddenSize = 8}};
        model::Transformer transformer(config);
        auto optimizer = train::makeAdamW(*transformer, run::OptimizerConfig{});
        const auto& groups = optimizer->param_groups();
        QCOMPARE(groups.size(), size_t(2));
        auto& decayedOptions = static_cast<const torch::optim::AdamWOptions&>(groups[0].options());
        auto& plainOptions = static_cast<const torch::optim::AdamWOptions&>(groups[1].options());
        QCOMPARE(decayedOptions.weight_decay(), 0.1);
        QCOMPARE(plainOptions.weight_decay(), 0.0);
        QCOMPARE(std::get<1>(decayedOptions.betas()), 0.95);
        QCOMPARE(groups[0].params().size() + groups[1].params().size(),
                 transformer->parameters().size());
        for (const auto& item : transformer->named_parameters()) {
            bool decayed = train::isDecayed(item.key(), item.value());
            if (item.key().find("norm") != std::string::npos ||
                item.key().find("embedding") != std::string::npos)
                QVERIFY2(!decayed, item.key().c_str());
            if (item.key().find("experts") != std::string::npos ||
                item.key().find("wq") != std::string::npos)
                QVERIFY2(decayed, item.key().c_str());
        }
    }

    void fusedStepsMatchLibTorchsAdamW() {
        torch::manual_seed(5);
        torch::Tensor start = torch::randn({6, 4});
        torch::Tensor fusedWeight = start.clone().requires_grad_(true);
        torch::Tensor plainWeight = start.clone().requires_grad_(true);
        torch::Tensor unused = torch::zeros({3}, torch::requires_grad());  // never gets a grad
        auto options = torch::optim::AdamWOptions(0.01).betas({0.9, 0.95}).weight_decay(0.1);
        train::FusedAdamW fused({fusedWeight, unused}, options);
        torch::optim::AdamW plain({plainWeight}, options);
        for (int step = 0; step < 5; ++step) {
            torch::Tensor input = torch::randn({4});
            auto train = [&](torch::optim::Optimizer& optimizer, const torch::Tensor& weight) {
                optimizer.zero_grad();
                torch::matmul(weight, input).pow(2).sum().backward();
                optimizer.step();
            };
            train(fused, fusedWeight);
            train(plain, plainWeight);
            QVERIFY(torch::allclose(fusedWeight, plainWeight, 1e-6, 1e-7));
        }
        auto& state = static_cast<torch::optim::AdamWParamState&>(
            *fused.state().at(fusedWeight.unsafeGetTensorImpl()));
        QCOMPARE(state.step(), int64_t(5));
        QVERIFY(!fused.state().count(unused.unsafeGetTensorImpl()));
        QVERIFY(torch::equal(unused, torch::zeros({3})));
    }
};

QTEST_APPLESS_MAIN(TestOptimizer)
#include "tst_optimizer.moc"
