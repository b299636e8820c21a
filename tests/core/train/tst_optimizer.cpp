// AdamW groups: every parameter exactly once; matrices decayed, norms and the embedding not.
#include "core/model/transformer.h"
#include "core/train/optimizer.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;

class TestOptimizer : public QObject {
    Q_OBJECT

private slots:
    void decayOnlyOnMatrices() {
        model::ModelConfig config;
        config.vocabSize = 32;
        config.dModel = 16;
        config.numLayers = 2;
        config.moe.expertHiddenSize = 8;
        model::Transformer transformer(config);
        auto optimizer = train::makeAdamW(*transformer, train::OptimizerConfig{});
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
};

QTEST_APPLESS_MAIN(TestOptimizer)
#include "tst_optimizer.moc"
