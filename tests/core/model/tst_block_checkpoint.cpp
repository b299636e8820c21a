// Activation checkpointing against the plain forward and backward: the same loss, routing and
// gradients (every parameter, LoRA's adapters on a frozen base, the input embedding) on a tiny
// dense GQA model and a tiny MLA + MoE model with both router losses on, over packed rows; the
// experts' loads summed over the ranks are replayed, not summed again, in the recomputation; and
// a forward without grad or with a cache is the plain one.
#include "core/model/lora.h"
#include "core/model/router_load_sum.h"
#include "core/model/transformer.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig tinyModel(bool moe) {
    strata::model_spec::ModelConfig config{
        .vocabSize = 64,
        .dModel = 32,
        .numLayers = 3,
        .contextLength = 32,
        .numDenseLayers = moe ? 1 : 3,
        .attention = {.kind = moe ? strata::model_spec::AttentionKind::Mla
                                  : strata::model_spec::AttentionKind::Gqa,
                      .numHeads = 4,
                      .numKvHeads = 2,
                      .qLoraRank = 8,
                      .kvLoraRank = 12,
                      .qkNopeHeadDim = 6,
                      .qkRopeHeadDim = 4,
                      .vHeadDim = 5},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 1, .topK = 2, .expertHiddenSize = 16}};
    config.moe.auxLossCoef = 0.01;
    config.moe.zLossCoef = 0.001;
    return config;
}

// A model and an exact copy of its weights, the copy checkpointing its blocks.
std::pair<Transformer, Transformer> twins(bool moe) {
    torch::manual_seed(7);
    Transformer plain(tinyModel(moe)), checkpointed(tinyModel(moe));
    torch::NoGradGuard noGrad;
    auto from = plain->named_parameters();
    for (auto& item : checkpointed->named_parameters())
        item.value().copy_(from[item.key()]);
    checkpointed->setActivationCheckpointing(true);
    return {plain, checkpointed};
}

struct Step {
    torch::Tensor loss;
    std::vector<RouterOutput> routing;
};

// Logits squared plus the router losses, over two rows packed with two sequences each.
Step step(Transformer& model, const torch::Tensor& tokens_BT) {
    SequenceLayout layout = packedRowLayout({5, 7}, 12);
    layout.segments_BT = layout.segments_BT.expand({2, 12}).contiguous();
    layout.positions_BT = layout.positions_BT.expand({2, 12}).contiguous();
    TransformerOutput out = model->forward(tokens_BT, nullptr, &layout);
    torch::Tensor loss = out.logits_BTV.pow(2).mean() + out.routerLoss;
    loss.backward();
    return {loss.detach(), out.routing};
}

void compareGradients(torch::nn::Module& plain, torch::nn::Module& checkpointed) {
    auto other = checkpointed.named_parameters();
    int compared = 0;
    for (const auto& item : plain.named_parameters()) {
        const torch::Tensor& a = item.value().grad();
        const torch::Tensor& b = other[item.key()].grad();
        QVERIFY2(a.defined() == b.defined(), item.key().c_str());
        if (!a.defined()) continue;
        QVERIFY2(torch::allclose(a, b, 1e-5, 1e-7), item.key().c_str());
        ++compared;
    }
    QVERIFY(compared > 0);
}

}  // namespace

class TestBlockCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void sameLossAndGradients_data() {
        QTest::addColumn<bool>("moe");
        QTest::newRow("dense GQA") << false;
        QTest::newRow("MLA + MoE") << true;
    }
    void sameLossAndGradients() {
        QFETCH(bool, moe);
        auto [plain, checkpointed] = twins(moe);
        torch::Tensor tokens = torch::randint(64, {2, 12});
        Step a = step(plain, tokens), b = step(checkpointed, tokens);
        QVERIFY(torch::allclose(a.loss, b.loss, 1e-6, 1e-7));
        QCOMPARE(a.routing.size(), b.routing.size());
        QCOMPARE(a.routing.size(), size_t(moe ? 2 : 0));
        for (size_t i = 0; i < a.routing.size(); ++i) {
            QVERIFY(torch::equal(a.routing[i].topIdx_NK, b.routing[i].topIdx_NK));
            QVERIFY(torch::allclose(a.routing[i].auxLoss, b.routing[i].auxLoss));
            QVERIFY(torch::allclose(a.routing[i].zLoss, b.routing[i].zLoss));
            QVERIFY(a.routing[i].auxLoss.item<double>() > 0);
        }
        compareGradients(*plain, *checkpointed);
    }

    void loraAdaptersOnAFrozenBase() {
        auto [plain, checkpointed] = twins(true);
        torch::manual_seed(8);
        LoraAdapters plainLora(plain, 4, 8.0);
        torch::manual_seed(8);
        LoraAdapters checkpointedLora(checkpointed, 4, 8.0);
        {
            torch::NoGradGuard noGrad;
            auto other = checkpointedLora->named_parameters();
            for (auto& item : plainLora->named_parameters()) {
                item.value().normal_(0.0, 0.1);
                other[item.key()].copy_(item.value());
            }
        }
        torch::Tensor tokens = torch::randint(64, {2, 12});
        Step a, b;
        {
            auto scope = plainLora->scope();
            a = step(plain, tokens);
        }
        {
            auto scope = checkpointedLora->scope();
            b = step(checkpointed, tokens);
        }
        QVERIFY(torch::allclose(a.loss, b.loss, 1e-6, 1e-7));
        compareGradients(*plainLora, *checkpointedLora);
        for (const torch::Tensor& parameter : checkpointed->parameters())
            QVERIFY(!parameter.grad().defined());
    }

    void loadsSummedOverRanksAreReplayed() {
        auto [plain, checkpointed] = twins(true);
        torch::Tensor tokens = torch::randint(64, {2, 12});
        // As if a second rank had routed alike: every count doubled, once per MoE layer.
        int calls = 0;
        auto twoRanks = [&calls](torch::Tensor& counts_E) {
            counts_E.mul_(2);
            ++calls;
        };
        Step a, b;
        {
            RouterLoadSumScope scope(twoRanks);
            a = step(plain, tokens);
        }
        QCOMPARE(calls, 2);
        {
            RouterLoadSumScope scope(twoRanks);
            b = step(checkpointed, tokens);
        }
        QCOMPARE(calls, 4);
        QVERIFY(torch::allclose(a.loss, b.loss, 1e-6, 1e-7));
        compareGradients(*plain, *checkpointed);
    }

    void withoutGradItIsThePlainForward() {
        auto [plain, checkpointed] = twins(true);
        torch::Tensor tokens = torch::randint(64, {1, 10});
        torch::NoGradGuard noGrad;
        TransformerOutput a = plain->forward(tokens), b = checkpointed->forward(tokens);
        QVERIFY(torch::equal(a.logits_BTV, b.logits_BTV));
        QVERIFY(!b.logits_BTV.requires_grad());
    }
};

QTEST_GUILESS_MAIN(TestBlockCheckpoint)
#include "tst_block_checkpoint.moc"
