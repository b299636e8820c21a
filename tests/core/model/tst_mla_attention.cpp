// Multi-head latent attention: causal, windowed, equal to an explicit softmax reference built
// from its projections, and with the parameters the cost model counts.
#include "core/model/causal_attention.h"
#include "core/model/gqa_attention.h"
#include "core/model/mla_attention.h"
#include "core/model_spec/model_size.h"

#include <torch/torch.h>
#include "tests/core/model/parameter_count.h"

#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig mlaConfig(int qLoraRank, int window) {
    return {.dModel = 32,
            .numLayers = 1,
            .contextLength = 64,
            .numDenseLayers = 1,
            .attention = {.kind = strata::model_spec::AttentionKind::Mla,
                          .numHeads = 4,
                          .slidingWindow = window,
                          .qLoraRank = qLoraRank,
                          .kvLoraRank = 12,
                          .qkNopeHeadDim = 6,
                          .qkRopeHeadDim = 4,
                          .vHeadDim = 5}};
}

// The same attention with every step written out, rotary keys expanded per head by hand.
torch::Tensor reference(MlaAttention& m, const strata::model_spec::ModelConfig& c,
                        const torch::Tensor& x) {
    const strata::model_spec::AttentionConfig& a = c.attention;
    int64_t batch = x.size(0), length = x.size(1), heads = a.numHeads;
    RotaryEmbedding rope(a.qkRopeHeadDim, a.ropeBase);
    torch::Tensor q =
        m->qA ? m->qB->forward(m->qNorm->forward(m->qA->forward(x))) : m->wq->forward(x);
    q = q.view({batch, length, heads, -1}).transpose(1, 2);
    torch::Tensor qRope = rope->forward(q.narrow(-1, a.qkNopeHeadDim, a.qkRopeHeadDim));
    torch::Tensor compressed = m->kvA->forward(x);
    torch::Tensor latent = m->kvNorm->forward(compressed.narrow(-1, 0, a.kvLoraRank));
    torch::Tensor kRope =
        rope->forward(compressed.narrow(-1, a.kvLoraRank, a.qkRopeHeadDim).unsqueeze(1));
    torch::Tensor kv = m->kvB->forward(latent).view({batch, length, heads, -1}).transpose(1, 2);
    torch::Tensor kNope = kv.narrow(-1, 0, a.qkNopeHeadDim),
                  v = kv.narrow(-1, a.qkNopeHeadDim, a.vHeadDim);
    torch::Tensor scores =
        (torch::matmul(q.narrow(-1, 0, a.qkNopeHeadDim), kNope.transpose(-2, -1)) +
         torch::matmul(qRope, kRope.transpose(-2, -1))) /
        std::sqrt(double(a.qkNopeHeadDim + a.qkRopeHeadDim));
    int64_t window = a.slidingWindow > 0 ? a.slidingWindow : length;
    torch::Tensor weights = torch::softmax(
        scores.masked_fill(causalMask(length, length, window, x.device()).logical_not(), -INFINITY),
        -1);
    return m->wo->forward(
        torch::matmul(weights, v).transpose(1, 2).reshape({batch, length, heads * a.vHeadDim}));
}

}  // namespace

class TestMlaAttention : public QObject {
    Q_OBJECT

private slots:
    void matchesTheExplicitReference_data() {
        QTest::addColumn<int>("qLoraRank");
        QTest::addColumn<int>("window");
        QTest::newRow("direct queries") << 0 << 0;
        QTest::newRow("query latent") << 8 << 0;
        QTest::newRow("query latent, window 4") << 8 << 4;
    }
    void matchesTheExplicitReference() {
        QFETCH(int, qLoraRank);
        QFETCH(int, window);
        torch::manual_seed(qLoraRank + window);
        torch::NoGradGuard noGrad;
        strata::model_spec::ModelConfig config = mlaConfig(qLoraRank, window);
        MlaAttention attention(config);
        torch::Tensor x = torch::randn({2, 11, 32});
        QVERIFY(
            torch::allclose(attention->forward(x), reference(attention, config, x), 1e-5, 1e-5));
    }

    void laterTokensNeverChangeEarlierOutputs() {
        torch::manual_seed(5);
        torch::NoGradGuard noGrad;
        MlaAttention attention(mlaConfig(8, 0));
        torch::Tensor x = torch::randn({1, 9, 32});
        torch::Tensor changed = x.clone();
        changed.narrow(1, 5, 4).normal_();
        QVERIFY(torch::allclose(attention->forward(x).narrow(1, 0, 5),
                                attention->forward(changed).narrow(1, 0, 5), 1e-6, 1e-6));
    }

    void parameterCountMatchesTheCostModel_data() {
        QTest::addColumn<int>("qLoraRank");
        QTest::newRow("direct queries") << 0;
        QTest::newRow("query latent") << 8;
    }
    void parameterCountMatchesTheCostModel() {
        QFETCH(int, qLoraRank);
        strata::model_spec::ModelConfig config = mlaConfig(qLoraRank, 0);
        MlaAttention attention(config);
        QCOMPARE(parameterCount(*attention), strata::model_spec::countParameters(config).attention);
    }
};

QTEST_APPLESS_MAIN(TestMlaAttention)
#include "tst_mla_attention.moc"
