// The router: valid normalized top-k, the balancing losses, capacity dropping, and DeepSeek-V3's
// loss-free bias moving load toward balance.
#include "core/model/moe_router.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::MoeConfig routerConfig(strata::model_spec::RouterScoring scoring) {
    strata::model_spec::MoeConfig config;
    config.numRoutedExperts = 8;
    config.topK = 2;
    config.scoring = scoring;
    return config;
}

// A router whose gate sends most tokens to expert 0.
void skew(MoeRouter& router) {
    torch::NoGradGuard noGrad;
    router->gate->weight.normal_(0, 0.02);
    router->gate->weight[0].fill_(0.5);
}

double imbalance(const torch::Tensor& load_E) {
    return (load_E.max() - load_E.min()).item<double>();
}

}  // namespace

class TestMoeRouter : public QObject {
    Q_OBJECT

private slots:
    void topKIsValidAndNormalized_data() {
        QTest::addColumn<bool>("sigmoid");
        QTest::newRow("softmax") << false;
        QTest::newRow("sigmoid") << true;
    }
    void topKIsValidAndNormalized() {
        QFETCH(bool, sigmoid);
        torch::manual_seed(0);
        MoeRouter router(16, routerConfig(sigmoid ? strata::model_spec::RouterScoring::Sigmoid
                                                  : strata::model_spec::RouterScoring::Softmax));
        RouterOutput out = router->forward(torch::randn({50, 16}));
        QCOMPARE(out.topIdx_NK.sizes(), (c10::IntArrayRef{50, 2}));
        QVERIFY((out.topIdx_NK.select(1, 0) != out.topIdx_NK.select(1, 1)).all().item<bool>());
        QVERIFY(torch::allclose(out.topWeight_NK.sum(-1), torch::ones({50}), 1e-5, 1e-6));
        QVERIFY(std::abs(out.load_E.sum().item<double>() - 1.0) < 1e-5);
        double entropy = out.entropy.item<double>();
        QVERIFY(entropy > 0 && entropy <= std::log(8.0) + 1e-6);
        QCOMPARE(out.dropped.item<int64_t>(), int64_t(0));
    }

    void lossesGrowWithSkew() {
        torch::manual_seed(1);
        MoeRouter balanced(16, routerConfig(strata::model_spec::RouterScoring::Softmax));
        MoeRouter skewed(16, routerConfig(strata::model_spec::RouterScoring::Softmax));
        skew(skewed);
        torch::Tensor x = torch::randn({256, 16}).abs();
        RouterOutput even = balanced->forward(x), uneven = skewed->forward(x);
        QVERIFY(uneven.auxLoss.item<double>() > even.auxLoss.item<double>());
        QVERIFY(uneven.zLoss.item<double>() > 0);
        // Perfect balance gives the auxiliary loss its floor: coefficient * 1.
        QVERIFY(even.auxLoss.item<double>() >= 0.01 * 0.99);
    }

    void capacityDropsTheOverflow() {
        torch::manual_seed(2);
        strata::model_spec::MoeConfig config =
            routerConfig(strata::model_spec::RouterScoring::Softmax);
        config.capacityFactor = 1.0;
        MoeRouter router(16, config);
        skew(router);
        RouterOutput out = router->forward(torch::randn({64, 16}).abs());
        QVERIFY(out.dropped.item<int64_t>() > 0);
        // Capacity 1.0 * 64 * 2 / 8 = 16 kept assignments per expert at most.
        torch::Tensor kept_E =
            torch::zeros({8}).index_add_(0, out.topIdx_NK.reshape({-1}),
                                         (out.topWeight_NK.reshape({-1}) > 0).to(torch::kFloat32));
        QVERIFY(kept_E.max().item<double>() <= 16);
        QCOMPARE(int64_t((out.topWeight_NK == 0).sum().item<int64_t>()),
                 out.dropped.item<int64_t>());
    }

    void lossFreeBiasBalancesTheLoad() {
        torch::manual_seed(3);
        strata::model_spec::MoeConfig config =
            routerConfig(strata::model_spec::RouterScoring::Sigmoid);
        config.biasUpdateSpeed = 0.01;
        MoeRouter router(16, config);
        skew(router);
        torch::Tensor x = torch::randn({2048, 16}) + 0.3;  // varied tokens, most favouring expert 0
        double before = imbalance(router->forward(x).load_E);
        for (int step = 0; step < 300; ++step)
            router->updateBias(router->forward(x).load_E);
        double after = imbalance(router->forward(x).load_E);
        QVERIFY2(before > 0.2 && after < before / 4,
                 qPrintable(QString("%1 -> %2").arg(before).arg(after)));
    }

    void biasSteersSelectionNotWeights() {
        torch::manual_seed(4);
        MoeRouter router(16, routerConfig(strata::model_spec::RouterScoring::Sigmoid));
        torch::Tensor x = torch::randn({10, 16});
        {
            torch::NoGradGuard noGrad;
            router->bias_E[5] = 100.0;  // expert 5 always chosen
        }
        RouterOutput out = router->forward(x);
        QVERIFY((out.topIdx_NK == 5).any(-1).all().item<bool>());
        torch::Tensor scores = torch::sigmoid(router->gate->forward(x)).gather(1, out.topIdx_NK);
        QVERIFY(torch::allclose(out.topWeight_NK, scores / scores.sum(-1, true), 1e-5, 1e-6));
    }
};

QTEST_APPLESS_MAIN(TestMoeRouter)
#include "tst_moe_router.moc"
