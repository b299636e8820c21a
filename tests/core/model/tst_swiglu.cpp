// SwiGLU against its formula, with the parameter count the cost model assumes.
#include "core/model/swiglu.h"
#include "core/model_spec/model_size.h"

#include <torch/torch.h>
#include "tests/core/model/parameter_count.h"

#include <QtTest>

using namespace strata::model;

class TestSwiGlu : public QObject {
    Q_OBJECT

private slots:
    void matchesTheFormula() {
        torch::manual_seed(0);
        SwiGlu block(6, 10);
        torch::Tensor x = torch::randn({3, 6});
        torch::Tensor expected =
            torch::matmul(torch::silu(torch::matmul(x, block->gate->weight.t())) *
                              torch::matmul(x, block->up->weight.t()),
                          block->down->weight.t());
        QVERIFY(torch::allclose(block->forward(x), expected, 1e-5, 1e-6));
    }

    void parameterCountMatchesTheCostModel() {
        strata::model_spec::ModelConfig config{
            .dModel = 6, .numLayers = 1, .numDenseLayers = 1, .denseHiddenSize = 10};
        SwiGlu block(config.dModel, config.resolvedDenseHiddenSize());
        QCOMPARE(parameterCount(*block), strata::model_spec::countParameters(config).denseFfn);
    }
};

QTEST_APPLESS_MAIN(TestSwiGlu)
#include "tst_swiglu.moc"
