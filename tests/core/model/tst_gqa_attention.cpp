// Grouped-query attention: causal, windowed exactly as the explicit softmax reference, grouped
// heads equal to multi-head attention with repeated key/value weights, and the parameter count
// the cost model assumes.
#include "core/model/causal_attention.h"
#include "core/model/gqa_attention.h"
#include "core/model_spec/model_size.h"

#include <torch/torch.h>
#include "tests/core/model/parameter_count.h"

#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig tinyConfig(int numKvHeads, int window) {
    return {.dModel = 32,
            .numLayers = 1,
            .contextLength = 64,
            .numDenseLayers = 1,
            .attention = {.numHeads = 4, .numKvHeads = numKvHeads, .slidingWindow = window}};
}

// Attention written out: scores, mask, softmax, weighted sum; key/value heads repeated.
torch::Tensor referenceAttention(GqaAttention& attention, const strata::model_spec::ModelConfig& c,
                                 const torch::Tensor& x_BTD) {
    int64_t batch = x_BTD.size(0), length = x_BTD.size(1), heads = c.attention.numHeads;
    int64_t kvHeads = c.attention.numKvHeads, headDim = c.resolvedHeadDim();
    RotaryEmbedding rope(headDim, c.attention.ropeBase);
    auto split = [&](torch::nn::Linear& projection, int64_t count) {
        return projection->forward(x_BTD).view({batch, length, count, headDim}).transpose(1, 2);
    };
    torch::Tensor q = rope->forward(split(attention->wq, heads));
    torch::Tensor k =
        rope->forward(split(attention->wk, kvHeads)).repeat_interleave(heads / kvHeads, 1);
    torch::Tensor v = split(attention->wv, kvHeads).repeat_interleave(heads / kvHeads, 1);
    torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(headDim));
    int64_t window = c.attention.slidingWindow > 0 ? c.attention.slidingWindow : length;
    torch::Tensor allowed = causalMask(length, length, window, x_BTD.device());
    torch::Tensor weights =
        torch::softmax(scores.masked_fill(allowed.logical_not(), -INFINITY), -1);
    torch::Tensor out =
        torch::matmul(weights, v).transpose(1, 2).reshape({batch, length, heads * headDim});
    return attention->wo->forward(out);
}

// The outputs for x and for x with tokens [start, start + count) drawn again.
std::pair<torch::Tensor, torch::Tensor> outputsWithTokensRedrawn(GqaAttention& attention,
                                                                 const torch::Tensor& x,
                                                                 int64_t start, int64_t count) {
    torch::Tensor changed = x.clone();
    changed.narrow(1, start, count).normal_();
    return {attention->forward(x), attention->forward(changed)};
}

}  // namespace

class TestGqaAttention : public QObject {
    Q_OBJECT

private slots:
    void laterTokensNeverChangeEarlierOutputs() {
        torch::manual_seed(0);
        torch::NoGradGuard noGrad;
        GqaAttention attention(tinyConfig(2, 0));
        auto [before, after] = outputsWithTokensRedrawn(attention, torch::randn({2, 10, 32}), 6, 4);
        QVERIFY(torch::allclose(before.narrow(1, 0, 6), after.narrow(1, 0, 6), 1e-6, 1e-6));
        QVERIFY(!torch::allclose(before.narrow(1, 6, 4), after.narrow(1, 6, 4), 1e-3, 1e-3));
    }

    void matchesTheExplicitReference_data() {
        QTest::addColumn<int>("numKvHeads");
        QTest::addColumn<int>("window");
        QTest::newRow("multi-head, full") << 4 << 0;
        QTest::newRow("grouped, full") << 2 << 0;
        QTest::newRow("grouped, window 3") << 2 << 3;
        QTest::newRow("one kv head, window 5") << 1 << 5;
    }
    void matchesTheExplicitReference() {
        QFETCH(int, numKvHeads);
        QFETCH(int, window);
        torch::manual_seed(1);
        torch::NoGradGuard noGrad;
        strata::model_spec::ModelConfig config = tinyConfig(numKvHeads, window);
        GqaAttention attention(config);
        torch::Tensor x = torch::randn({2, 12, 32});
        QVERIFY(torch::allclose(attention->forward(x), referenceAttention(attention, config, x),
                                1e-5, 1e-5));
    }

    void windowForgetsOldTokens() {
        torch::manual_seed(2);
        torch::NoGradGuard noGrad;
        GqaAttention attention(tinyConfig(2, 3));
        // Token 7 sees 5, 6, 7: tokens 0..4 are outside its window.
        auto [before, after] = outputsWithTokensRedrawn(attention, torch::randn({1, 12, 32}), 0, 5);
        QVERIFY(torch::allclose(before.narrow(1, 7, 5), after.narrow(1, 7, 5), 1e-6, 1e-6));
    }

    void windowMaskByHand() {
        torch::Tensor expected = torch::tensor({1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1})
                                     .view({4, 4})
                                     .to(torch::kBool);
        QVERIFY(torch::equal(causalMask(4, 4, 2, torch::kCPU), expected));
        // Two new queries (positions 3 and 4) over five keys, window 2.
        torch::Tensor cached =
            torch::tensor({0, 0, 1, 1, 0, 0, 0, 0, 1, 1}).view({2, 5}).to(torch::kBool);
        QVERIFY(torch::equal(causalMask(2, 5, 2, torch::kCPU), cached));
    }

    void parameterCountMatchesTheCostModel() {
        strata::model_spec::ModelConfig config = tinyConfig(2, 0);
        GqaAttention attention(config);
        QCOMPARE(parameterCount(*attention), strata::model_spec::countParameters(config).attention);
    }

    void rejectsTheWrongShape() {
        GqaAttention attention(tinyConfig(2, 0));
        QVERIFY_THROWS_EXCEPTION(c10::Error, attention->forward(torch::zeros({4, 32})));
    }
};

QTEST_APPLESS_MAIN(TestGqaAttention)
#include "tst_gqa_attention.moc"
