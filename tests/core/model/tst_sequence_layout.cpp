// Packed and padded rows compute what their sequences compute alone: a row holding two packed
// sequences, left-padded prompts, both attention kinds and a sliding window; and batched
// generation equals one prompt at a time.
#include "core/model/generation.h"
#include "core/model/sequence_layout.h"
#include "core/model/transformer.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata::model;

Q_DECLARE_METATYPE(strata::model_spec::AttentionKind)

namespace {

strata::model_spec::ModelConfig tinyModel(strata::model_spec::AttentionKind kind, int window) {
    return {.vocabSize = 64,
            .dModel = 32,
            .numLayers = 2,
            .contextLength = 32,
            .numDenseLayers = 1,
            .attention = {.kind = kind,
                          .numHeads = 4,
                          .numKvHeads = 2,
                          .slidingWindow = window,
                          .kvLoraRank = 12,
                          .qkNopeHeadDim = 6,
                          .qkRopeHeadDim = 4,
                          .vHeadDim = 5},
            .moe = {.numRoutedExperts = 4, .topK = 2, .expertHiddenSize = 16}};
}

torch::Tensor aloneLogits(Transformer& model, const std::vector<int64_t>& tokens) {
    return model->forward(torch::tensor(tokens, torch::kLong).unsqueeze(0)).logits_BTV[0];
}

std::vector<int64_t> values(const torch::Tensor& tensor) {
    torch::Tensor flat = tensor.contiguous().reshape({-1});
    return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

void addKinds() {
    QTest::addColumn<strata::model_spec::AttentionKind>("kind");
    QTest::addColumn<int>("window");
    QTest::newRow("gqa") << strata::model_spec::AttentionKind::Gqa << 0;
    QTest::newRow("gqa window 3") << strata::model_spec::AttentionKind::Gqa << 3;
    QTest::newRow("mla") << strata::model_spec::AttentionKind::Mla << 0;
}

}  // namespace

class TestSequenceLayout : public QObject {
    Q_OBJECT

private slots:
    void layoutsNumberTheirTokens() {
        SequenceLayout packed = packedRowLayout({3, 2}, 7);
        QCOMPARE(values(packed.segments_BT), (std::vector<int64_t>{0, 0, 0, 1, 1, -1, -1}));
        QCOMPARE(values(packed.positions_BT), (std::vector<int64_t>{0, 1, 2, 0, 1, 0, 0}));
        SequenceLayout padded = leftPaddedLayout({2, 4}, 4);
        QCOMPARE(values(padded.segments_BT), (std::vector<int64_t>{-1, -1, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(values(padded.positions_BT), (std::vector<int64_t>{0, 0, 0, 1, 0, 1, 2, 3}));
    }

    void packedRowEqualsSequencesAlone_data() { addKinds(); }
    void packedRowEqualsSequencesAlone() {
        QFETCH(strata::model_spec::AttentionKind, kind);
        QFETCH(int, window);
        torch::manual_seed(1);
        Transformer model(tinyModel(kind, window));
        torch::NoGradGuard noGrad;
        std::vector<int64_t> first = {5, 9, 2, 7, 7, 1}, second = {3, 8, 8, 4};
        std::vector<int64_t> row = first;
        row.insert(row.end(), second.begin(), second.end());
        row.insert(row.end(), {0, 0});  // padding after the last sequence
        SequenceLayout layout = packedRowLayout({6, 4}, 12);
        torch::Tensor packed =
            model->forward(torch::tensor(row, torch::kLong).unsqueeze(0), nullptr, &layout)
                .logits_BTV[0];
        QVERIFY(torch::allclose(packed.narrow(0, 0, 6), aloneLogits(model, first), 1e-5, 1e-5));
        QVERIFY(torch::allclose(packed.narrow(0, 6, 4), aloneLogits(model, second), 1e-5, 1e-5));
    }

    void leftPaddedRowsEqualPromptsAlone_data() { addKinds(); }
    void leftPaddedRowsEqualPromptsAlone() {
        QFETCH(strata::model_spec::AttentionKind, kind);
        QFETCH(int, window);
        torch::manual_seed(2);
        Transformer model(tinyModel(kind, window));
        torch::NoGradGuard noGrad;
        std::vector<int64_t> short_ = {4, 6}, long_ = {1, 2, 3, 9, 5};
        torch::Tensor tokens = torch::tensor({{0, 0, 0, 4, 6}, {1, 2, 3, 9, 5}}, torch::kLong);
        SequenceLayout layout = leftPaddedLayout({2, 5}, 5);
        KvCache cache;
        torch::Tensor logits = model->forward(tokens, &cache, &layout).logits_BTV;
        QVERIFY(torch::allclose(logits[0].narrow(0, 3, 2), aloneLogits(model, short_), 1e-5, 1e-5));
        QVERIFY(torch::allclose(logits[1], aloneLogits(model, long_), 1e-5, 1e-5));
        // One more token each continues the cache at each row's own position.
        SequenceLayout next{torch::zeros({2, 1}, torch::kLong), torch::tensor({{2}, {5}})};
        torch::Tensor step =
            model->forward(torch::tensor({{11}, {12}}), &cache, &next).logits_BTV.select(1, 0);
        QVERIFY(torch::allclose(step[0], aloneLogits(model, {4, 6, 11})[2], 1e-5, 1e-5));
        QVERIFY(torch::allclose(step[1], aloneLogits(model, {1, 2, 3, 9, 5, 12})[5], 1e-5, 1e-5));
    }

    void batchedGreedyGenerationEqualsOneAtATime() {
        torch::manual_seed(3);
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Mla, 0));
        strata::model_spec::SamplingOptions options{
            .maxNewTokens = 8, .temperature = 0, .stopTokens = {17}};
        std::vector<std::vector<int64_t>> prompts = {{3, 7, 11}, {5}, {9, 9, 9, 9, 2}};
        std::vector<std::vector<int64_t>> batched = generateBatch(model, prompts, options);
        QCOMPARE(batched.size(), prompts.size());
        for (size_t i = 0; i < prompts.size(); ++i)
            QCOMPARE(batched[i], generate(model, prompts[i], options));
    }

    void batchedSamplingIsSeededAndRowsDiffer() {
        torch::manual_seed(4);
        Transformer model(tinyModel(strata::model_spec::AttentionKind::Gqa, 0));
        strata::model_spec::SamplingOptions options{.maxNewTokens = 10, .seed = 5};
        std::vector<std::vector<int64_t>> group(4, std::vector<int64_t>{1, 2, 3});
        std::vector<std::vector<int64_t>> first = generateBatch(model, group, options);
        QCOMPARE(generateBatch(model, group, options), first);
        QVERIFY(first[0] != first[1] || first[1] != first[2] || first[2] != first[3]);
    }
};

QTEST_APPLESS_MAIN(TestSequenceLayout)
#include "tst_sequence_layout.moc"
