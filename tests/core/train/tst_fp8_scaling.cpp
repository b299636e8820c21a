// Delayed scaling's history: the first step scales by its own amax, each step's largest amax
// (over its micro-batches) joins the history at the step's end, the history keeps amax_history
// steps, "max" and "most_recent" pick from it, margin adds headroom, values beyond a stale scale
// overflow and are counted, unrecorded quantizations change nothing, and the history survives a
// round trip. Dynamic scaling keeps no history.
#include "core/train/fp8_scaling.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;
using run::Fp8Format;

namespace {

run::Fp8Config delayedConfig(int history, run::AmaxCompute compute, int margin = 0) {
    run::Fp8Config config;
    config.recipe = run::Fp8Recipe::Delayed;
    config.amaxHistory = history;
    config.amaxCompute = compute;
    config.margin = margin;
    return config;
}

// A (1, 4) tensor whose amax is `amax`.
torch::Tensor withAmax(float amax) {
    return torch::tensor({{amax / 2, -amax, amax / 4, 0.0f}});
}

float scaleOf(train::Fp8Scaling& scaling, float amax, train::Fp8Counts* counts = nullptr) {
    train::Fp8Counts unused;
    return scaling.quantize(withAmax(amax), train::kPerRow, counts ? counts : &unused)
        .scale.item<float>();
}

float e4m3Scale(float amax) {
    return train::scaleForAmax(torch::tensor(amax), Fp8Format::E4M3).item<float>();
}

}  // namespace

class TestFp8Scaling : public QObject {
    Q_OBJECT

private slots:
    void firstStepUsesItsOwnAmaxThenTheHistory() {
        train::Fp8Scaling scaling(delayedConfig(3, run::AmaxCompute::Max), Fp8Format::E4M3, 1,
                                  torch::kCPU);
        QVERIFY(scaling.delayed());
        QCOMPARE(scaleOf(scaling, 10), e4m3Scale(10));  // no history yet
        QCOMPARE(scaleOf(scaling, 20), e4m3Scale(20));  // still none within the step
        scaling.endStep();
        QCOMPARE(scaling.history()[0][0].item<float>(), 20.0f);  // the step's largest
        // Step 2 scales by the history, not by its own larger amax.
        QCOMPARE(scaleOf(scaling, 100), e4m3Scale(20));
        scaling.endStep();
        QCOMPARE(scaleOf(scaling, 1), e4m3Scale(100));  // max of {100, 20}
        scaling.endStep();
        scaleOf(scaling, 2);
        scaling.endStep();
        // History of three: {2, 1, 100}; one more step and 100 falls out.
        QCOMPARE(scaleOf(scaling, 3), e4m3Scale(100));
        scaling.endStep();
        QCOMPARE(scaleOf(scaling, 3), e4m3Scale(3));
    }

    void mostRecentAndMarginChooseTheScale() {
        train::Fp8Scaling recent(delayedConfig(4, run::AmaxCompute::MostRecent, 2), Fp8Format::E4M3,
                                 1, torch::kCPU);
        scaleOf(recent, 50);
        recent.endStep();
        scaleOf(recent, 5);
        recent.endStep();
        QCOMPARE(scaleOf(recent, 1), e4m3Scale(5) / 4);  // the newest, with 2^2 headroom
    }

    void aStaleScaleOverflowsAndCounts() {
        train::Fp8Scaling scaling(delayedConfig(2, run::AmaxCompute::Max), Fp8Format::E4M3, 1,
                                  torch::kCPU);
        scaleOf(scaling, 1);
        scaling.endStep();
        train::Fp8Counts counts;
        scaleOf(scaling, 1000, &counts);  // scaled by 256 for amax 1: 1000, 500 and 250 pass 448
        QCOMPARE(counts.overflow_underflow[0].item<int64_t>(), int64_t(3));
    }

    void unrecordedQuantizationsChangeNothing() {
        train::Fp8Scaling scaling(delayedConfig(2, run::AmaxCompute::Max), Fp8Format::E4M3, 1,
                                  torch::kCPU);
        scaling.quantize(withAmax(7), train::kWholeTensor, nullptr);  // a validation pass
        QCOMPARE(scaling.stepAmax().item<float>(), 0.0f);
        scaling.endStep();
        QCOMPARE(scaling.history().abs().max().item<float>(), 0.0f);
    }

    void expertsKeepAHistoryEach() {
        train::Fp8Scaling scaling(delayedConfig(2, run::AmaxCompute::Max), Fp8Format::E4M3, 3,
                                  torch::kCPU);
        torch::Tensor weights = torch::ones({3, 2, 2});
        weights[1] *= 8;
        train::Fp8Counts counts;
        scaling.quantize(weights, train::kWholeTensor, &counts);
        QCOMPARE(scaling.stepAmax().item<float>(), 8.0f);
        scaling.endStep();
        QVERIFY(torch::equal(scaling.history().select(1, 0), torch::tensor({1.0f, 8.0f, 1.0f})));
        train::Fp8Tensor q = scaling.quantize(weights * 2, train::kWholeTensor, &counts);
        QCOMPARE(q.scale.sizes(), (torch::IntArrayRef{3, 1, 1}));
        QCOMPARE(q.scale[1].item<float>(), e4m3Scale(8));
        QCOMPARE(q.scale[0].item<float>(), e4m3Scale(1));

        train::Fp8Scaling restored(delayedConfig(2, run::AmaxCompute::Max), Fp8Format::E4M3, 3,
                                   torch::kCPU);
        restored.setHistory(scaling.history());
        QVERIFY(torch::equal(restored.history(), scaling.history()));
    }

    void dynamicScalingKeepsNoHistory() {
        run::Fp8Config config;
        config.recipe = run::Fp8Recipe::Tensorwise;
        train::Fp8Scaling scaling(config, Fp8Format::E4M3, 1, torch::kCPU);
        QVERIFY(!scaling.delayed());
        QVERIFY(!scaling.history().defined());
        QCOMPARE(scaleOf(scaling, 10), e4m3Scale(10));
        scaling.endStep();
        QCOMPARE(scaleOf(scaling, 1000), e4m3Scale(1000));
    }
};

QTEST_APPLESS_MAIN(TestFp8Scaling)
#include "tst_fp8_scaling.moc"
