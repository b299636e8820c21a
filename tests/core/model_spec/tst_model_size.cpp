// The cost model against published models: DeepSeek-V3 (671B total, 37B active per token) and
// Mixtral 8x7B (46.7B total, 12.9B active), and small configs counted by hand.
#include "core/model_spec/model_size.h"

#include <QtTest>

using namespace strata::model_spec;

namespace {

ModelConfig deepSeekV3() {
    ModelConfig c;
    c.vocabSize = 129280;
    c.dModel = 7168;
    c.numLayers = 61;
    c.numDenseLayers = 3;
    c.denseHiddenSize = 18432;
    c.attention.kind = AttentionKind::Mla;
    c.attention.numHeads = 128;
    c.attention.qLoraRank = 1536;
    c.attention.kvLoraRank = 512;
    c.attention.qkNopeHeadDim = 128;
    c.attention.qkRopeHeadDim = 64;
    c.attention.vHeadDim = 128;
    c.moe.numRoutedExperts = 256;
    c.moe.numSharedExperts = 1;
    c.moe.topK = 8;
    c.moe.expertHiddenSize = 2048;
    return c;
}

ModelConfig mixtral8x7b() {
    ModelConfig c;
    c.vocabSize = 32000;
    c.dModel = 4096;
    c.numLayers = 32;
    c.numDenseLayers = 0;
    c.attention.numHeads = 32;
    c.attention.numKvHeads = 8;
    c.moe.numRoutedExperts = 8;
    c.moe.numSharedExperts = 0;
    c.moe.topK = 2;
    c.moe.expertHiddenSize = 14336;
    return c;
}

bool near(double value, double expected, double tolerance) {
    return std::abs(value / expected - 1) <= tolerance;
}

}  // namespace

class TestModelSize : public QObject {
    Q_OBJECT

private slots:
    void deepSeekV3MatchesItsReport() {
        ParameterCounts p = countParameters(deepSeekV3());
        QVERIFY2(near(double(p.total()), 671e9, 0.005),
                 qPrintable(QString::number(double(p.total()))));
        QVERIFY2(near(double(p.activePerToken), 37e9, 0.02),
                 qPrintable(QString::number(double(p.activePerToken))));
    }

    void mixtralMatchesItsCard() {
        ParameterCounts p = countParameters(mixtral8x7b());
        QVERIFY2(near(double(p.total()), 46.7e9, 0.005),
                 qPrintable(QString::number(double(p.total()))));
        QVERIFY2(near(double(p.activePerToken), 12.9e9, 0.01),
                 qPrintable(QString::number(double(p.activePerToken))));
    }

    void tinyDenseModelByHand() {
        ModelConfig c;
        c.vocabSize = 10;
        c.dModel = 4;
        c.numLayers = 1;
        c.numDenseLayers = 1;
        c.denseHiddenSize = 8;
        c.attention.numHeads = 2;
        c.attention.numKvHeads = 1;
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
};

QTEST_APPLESS_MAIN(TestModelSize)
#include "tst_model_size.moc"
