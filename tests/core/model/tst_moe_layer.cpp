// The MoE block: shapes, shared experts always on, and the parameters of the cost model.
#include "core/model/moe_layer.h"
#include "core/model_spec/model_size.h"

#include <torch/torch.h>
#include "tests/core/model/parameter_count.h"

#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig moeConfig(int numShared) {
    return {.dModel = 16,
            .numLayers = 1,
            .numDenseLayers = 0,
            .moe = {.numRoutedExperts = 4,
                    .numSharedExperts = numShared,
                    .topK = 2,
                    .expertHiddenSize = 24}};
}

}  // namespace

class TestMoeLayer : public QObject {
    Q_OBJECT

private slots:
    void routedPlusShared() {
        torch::manual_seed(0);
        torch::NoGradGuard noGrad;
        MoeLayer layer(moeConfig(1));
        torch::Tensor x = torch::randn({2, 5, 16});
        MoeOutput out = layer->forward(x);
        QCOMPARE(out.y_BTD.sizes(), x.sizes());
        torch::Tensor x_ND = x.reshape({10, 16});
        torch::Tensor expected =
            layer->experts->forwardDense(x_ND, out.routing.topIdx_NK, out.routing.topWeight_NK) +
            layer->shared->forward(x_ND);
        QVERIFY(torch::allclose(out.y_BTD.reshape({10, 16}), expected, 1e-5, 1e-5));
    }

    void parametersMatchTheCostModel_data() {
        QTest::addColumn<int>("numShared");
        QTest::newRow("no shared expert") << 0;
        QTest::newRow("two shared experts") << 2;
    }
    void parametersMatchTheCostModel() {
        QFETCH(int, numShared);
        strata::model_spec::ModelConfig config = moeConfig(numShared);
        MoeLayer layer(config);
        strata::model_spec::ParameterCounts expected = strata::model_spec::countParameters(config);
        QCOMPARE(parameterCount(*layer),
                 expected.routedExperts + expected.sharedExperts + expected.routers);
        QVERIFY(!layer->shared == (numShared == 0));
    }
};

QTEST_APPLESS_MAIN(TestMoeLayer)
#include "tst_moe_layer.moc"
