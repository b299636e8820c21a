// The cost model against published models: DeepSeek-V3 (671B total, 37B active per token) and
// Mixtral 8x7B (46.7B total, 12.9B active), and small configs counted by hand.
#include "core/model_spec/model_size.h"

#include <QtTest>

using namespace strata::model_spec;

namespace {

ModelConfig deepSeekV3() {
    return {
        .vocabSize = 129280,
        .dModel = 7168,
        .numLayers = 61,
        .numDenseLayers = 3,
        .denseHiddenSize = 18432,
        .attention = {.kind = AttentionKind::Mla,
                      .numHeads = 128,
                      .qLoraRank = 1536,
                      .kvLoraRank = 512,
                      .qkNopeHeadDim = 128,
                      .qkRopeHeadDim = 64,
                      .vHeadDim = 128},
        .moe = {
            .numRoutedExperts = 256, .numSharedExperts = 1, .topK = 8, .expertHiddenSize = 2048}};
}

ModelConfig mixtral8x7b() {
    return {
        .vocabSize = 32000,
        .dModel = 4096,
        .numLayers = 32,
        .numDenseLayers = 0,
        .attention = {.numHeads = 32, .numKvHeads = 8},
        .moe = {
            .numRoutedExperts = 8, .numSharedExperts = 0, .topK = 2, .expertHiddenSize = 14336}};
}

bool near(double value, double expected, double tolerance) {
    return std::abs(value / expected - 1) <= tolerance;
}

// The cost model's total and per-token active counts of `config` against a published model's,
// each within a relative tolerance.
void checkPublishedCounts(const ModelConfig& config, double total, double totalTolerance,
                          double active, double activeTolerance) {
    ParameterCounts p = countParameters(config);
    QVERIFY2(near(double(p.total()), total, totalTolerance),
             qPrintable(QString::number(double(p.total()))));
    QVERIFY2(near(double(p.activePerToken), active, activeTolerance),
             qPrintable(QString::number(double(p.activePerToken))));
}

}  // namespace

class TestModelSize : public QObject {
    Q_OBJECT

private slots:
    void deepSeekV3MatchesItsReport() {
        checkPublishedCounts(deepSeekV3(), 671e9, 0.005, 37e9, 0.02);
    }

    void mixtralMatchesItsCard() {
        checkPublishedCounts(mixtral8x7b(), 46.7e9, 0.005, 12.9e9, 0.01);
    }

    void tinyDenseModelByHand() {
        ModelConfig c{.vocabSize = 10,
                      .dModel = 4,
                      .numLayers = 1,
                      .numDenseLayers = 1,
                      .denseHiddenSize = 8,
                      .attention = {.numHeads = 2, .numKvHeads = 1}};
        ParameterCounts p = countParameters(c);
        // embedding 40, head 40, attention q 16 + k,v 2*4*2 + o 16 = 48, ffn 3*4*8 = 96, norms 2*4
        // + 4.
        QCOMPARE(p.total(), uint64_t(40 + 40 + 48 + 96 + 12));
        QCOMPARE(p.activePerToken, p.total());
        c.tiedEmbeddings = true;
        QCOMPARE(countParameters(c).total(), uint64_t(40 + 48 + 96 + 12));
        // FLOPs: 6 * (48 + 96 + 40 head) + attention 6 * 1 layer * 2 heads * (2 + 2) * 16 tokens.
        QCOMPARE(trainingFlopsPerToken(c, 16), 6.0 * 184 + 6.0 * 2 * 4 * 16);
        c.attention.slidingWindow = 4;
        QCOMPARE(trainingFlopsPerToken(c, 16), 6.0 * 184 + 6.0 * 2 * 4 * 4);
    }

    void onlyTopKExpertsAreActive() {
        ModelConfig c;
        ParameterCounts p = countParameters(c);
        uint64_t expert = 3 * uint64_t(c.dModel) * uint64_t(c.resolvedExpertHiddenSize());
        uint64_t moeLayers = uint64_t(c.numLayers - c.numDenseLayers);
        QCOMPARE(p.routedExperts, moeLayers * 8 * expert);
        QCOMPARE(p.total() - p.activePerToken, moeLayers * (8 - 2) * expert);
    }

    void memoryGrowsWithTheBatch() {
        ModelConfig c;
        MemoryEstimate one = estimateTrainingMemory(c, 1, 256, 4, true);
        MemoryEstimate two = estimateTrainingMemory(c, 2, 256, 4, true);
        QCOMPARE(one.parameters, 4 * countParameters(c).total());
        QCOMPARE(one.optimizer, 2 * one.parameters);
        QCOMPARE(two.activations, 2 * one.activations);
        QVERIFY(estimateTrainingMemory(c, 1, 256, 2, false).activations < one.activations);
        QCOMPARE(two.total(), two.parameters + two.gradients + two.optimizer + two.activations);
    }

    void checkpointingKeepsBlockInputsAndOneBlock() {
        ModelConfig c;
        MemoryEstimate m = estimateTrainingMemory(c, 2, 256, 4, true);
        QVERIFY(m.checkpointedActivations < m.activations);
        // At least every block's input and the logits with their gradient.
        uint64_t tokens = 2 * 256;
        QVERIFY(m.checkpointedActivations >
                tokens * (uint64_t(c.numLayers) * uint64_t(c.dModel) * 4 + 8 * c.vocabSize));
        QCOMPARE(estimateTrainingMemory(c, 4, 256, 4, true).checkpointedActivations,
                 2 * m.checkpointedActivations);
    }

    void loraAdaptsTheBlocksProjectionsByHand() {
        ModelConfig c{
            .vocabSize = 10,
            .dModel = 4,
            .numLayers = 2,
            .numDenseLayers = 1,
            .denseHiddenSize = 8,
            .attention = {.numHeads = 2, .numKvHeads = 1},
            .moe = {
                .numRoutedExperts = 4, .numSharedExperts = 1, .topK = 2, .expertHiddenSize = 6}};
        // Per layer q (4 x 4), k and v (2 x 4), o (4 x 4): rank x (8 + 6 + 6 + 8); the dense
        // FFN's gate, up (8 x 4) and down (4 x 8): 3 x 12; the MoE layer's shared expert 3 x 10,
        // its router and routed experts none.
        QCOMPARE(countLoraParameters(c, 2), uint64_t(2 * (2 * 28 + 3 * 12 + 3 * 10)));

        MemoryEstimate full = estimateTrainingMemory(c, 2, 16, 4, true);
        MemoryEstimate lora = estimateLoraTrainingMemory(c, 2, 2, 16, 4, true);
        uint64_t adapters = countLoraParameters(c, 2);
        QCOMPARE(lora.parameters, full.parameters + 4 * adapters);
        QCOMPARE(lora.gradients, 4 * adapters);
        QCOMPARE(lora.optimizer, 8 * adapters);
        // Fourteen projections, each keeping a rank-2 intermediate for 32 tokens.
        QCOMPARE(lora.activations, full.activations + 32 * 14 * 2 * 4);
        // With checkpointing, one block's seven at a time.
        QCOMPARE(lora.checkpointedActivations, full.checkpointedActivations + 32 * 7 * 2 * 4);
    }
};

QTEST_APPLESS_MAIN(TestModelSize)
#include "tst_model_size.moc"
