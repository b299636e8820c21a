// The whole model: the cost model's parameter count for every variant, causality end to end,
// router outputs per MoE layer, and a tiny model that learns one batch by heart.
#include "core/model/transformer.h"
#include "core/model_spec/model_size.h"

#include <torch/torch.h>
#include "tests/core/model/parameter_count.h"

#include <QtTest>

using namespace strata::model;

namespace {

strata::model_spec::ModelConfig tinyModel(strata::model_spec::AttentionKind kind, bool tied) {
    return {
        .vocabSize = 64,
        .dModel = 32,
        .numLayers = 3,
        .contextLength = 32,
        .tiedEmbeddings = tied,
        .numDenseLayers = 1,
        .attention = {.kind = kind,
                      .numHeads = 4,
                      .numKvHeads = 2,
                      .qLoraRank = 8,
                      .kvLoraRank = 12,
                      .qkNopeHeadDim = 6,
                      .qkRopeHeadDim = 4,
                      .vHeadDim = 5},
        .moe = {.numRoutedExperts = 4, .numSharedExperts = 1, .topK = 2, .expertHiddenSize = 16}};
}

}  // namespace

class TestTransformer : public QObject {
    Q_OBJECT

private slots:
    void parametersMatchTheCostModel_data() {
        QTest::addColumn<bool>("mla");
        QTest::addColumn<bool>("tied");
        QTest::newRow("GQA") << false << false;
        QTest::newRow("GQA, tied") << false << true;
        QTest::newRow("MLA") << true << false;
    }
    void parametersMatchTheCostModel() {
        QFETCH(bool, mla);
        QFETCH(bool, tied);
        strata::model_spec::ModelConfig config = tinyModel(
            mla ? strata::model_spec::AttentionKind::Mla : strata::model_spec::AttentionKind::Gqa,
            tied);
        Transformer model(config);
        QCOMPARE(parameterCount(*model), strata::model_spec::countParameters(config).total());
    }

    void laterTokensNeverChangeEarlierLogits() {
        torch::manual_seed(0);
        torch::NoGradGuard noGrad;
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Mla, false));
        torch::Tensor tokens = torch::randint(64, {2, 12});
        torch::Tensor changed = tokens.clone();
        changed.narrow(1, 8, 4).random_(64);
        torch::Tensor before = model->forward(tokens).logits_BTV,
                      after = model->forward(changed).logits_BTV;
        QCOMPARE(before.sizes(), (c10::IntArrayRef{2, 12, 64}));
        QVERIFY(torch::allclose(before.narrow(1, 0, 8), after.narrow(1, 0, 8), 1e-5, 1e-6));
    }

    void routingPerMoeLayer() {
        torch::manual_seed(1);
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, false));
        TransformerOutput out = model->forward(torch::randint(64, {2, 8}));
        QCOMPARE(out.routing.size(), size_t(2));  // three layers, the first dense
        QCOMPARE(out.routing[0].topIdx_NK.sizes(), (c10::IntArrayRef{16, 2}));
        QVERIFY(out.routerLoss.item<double>() > 0);
    }

    void overfitsOneBatch() {
        torch::manual_seed(2);
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, false));
        torch::optim::AdamW optimizer(model->parameters(),
                                      torch::optim::AdamWOptions(3e-3).weight_decay(0.0));
        torch::Tensor tokens = torch::randint(64, {4, 17});
        torch::Tensor inputs = tokens.narrow(1, 0, 16), targets = tokens.narrow(1, 1, 16);
        double first = 0, last = 0;
        for (int step = 0; step < 150; ++step) {
            TransformerOutput out = model->forward(inputs);
            torch::Tensor loss =
                torch::cross_entropy_loss(out.logits_BTV.reshape({-1, 64}), targets.reshape({-1}));
            if (step == 0) first = loss.item<double>();
            last = loss.item<double>();
            optimizer.zero_grad();
            (loss + out.routerLoss).backward();
            optimizer.step();
        }
        QVERIFY2(first > 3.5 && last < 0.1,
                 qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
    }

    void cachedStepsEqualFullRecomputation_data() {
        QTest::addColumn<bool>("mla");
        QTest::addColumn<int>("window");
        QTest::newRow("GQA") << false << 0;
        QTest::newRow("GQA, window 4") << false << 4;
        QTest::newRow("MLA") << true << 0;
        QTest::newRow("MLA, window 4") << true << 4;
    }
    void cachedStepsEqualFullRecomputation() {
        QFETCH(bool, mla);
        QFETCH(int, window);
        torch::manual_seed(5);
        torch::NoGradGuard noGrad;
        strata::model_spec::ModelConfig config = tinyModel(
            mla ? strata::model_spec::AttentionKind::Mla : strata::model_spec::AttentionKind::Gqa,
            false);
        config.attention.slidingWindow = window;
        Transformer model(config);
        torch::Tensor tokens = torch::randint(64, {2, 12});
        torch::Tensor full = model->forward(tokens).logits_BTV;
        // A prompt of 5, then 3 tokens at once, then one token at a time.
        KvCache cache;
        std::vector<torch::Tensor> pieces = {
            model->forward(tokens.narrow(1, 0, 5), &cache).logits_BTV,
            model->forward(tokens.narrow(1, 5, 3), &cache).logits_BTV};
        for (int64_t t = 8; t < 12; ++t)
            pieces.push_back(model->forward(tokens.narrow(1, t, 1), &cache).logits_BTV);
        QCOMPARE(cache.length(), int64_t(12));
        QVERIFY(torch::allclose(torch::cat(pieces, 1), full, 1e-4, 1e-5));
    }

    void cacheCannotOutgrowTheContext() {
        torch::NoGradGuard noGrad;
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, false));
        KvCache cache;
        model->forward(torch::zeros({1, 30}, torch::kLong), &cache);
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 model->forward(torch::zeros({1, 3}, torch::kLong), &cache));
    }

    void cacheRefusesGradients() {
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, false));
        KvCache cache;
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 model->forward(torch::zeros({1, 3}, torch::kLong), &cache));
    }

    void rejectsTooLongSequences() {
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, false));
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::zeros({1, 33}, torch::kLong)));
    }
};

QTEST_APPLESS_MAIN(TestTransformer)
#include "tst_transformer.moc"
