// FP16 loss scaling's state machine: the loss is multiplied by the scale, unscale() divides the
// gradients back and spots infinities and NaNs, an overflow halves the scale and counts a
// skipped step, growth_interval good steps in a row double it, and restore() resumes the state.
#include "core/train/loss_scaler.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;

namespace {

run::LossScaleConfig config(double initial, int interval) {
    run::LossScaleConfig c;
    c.initialScale = initial;
    c.growthInterval = interval;
    return c;
}

}  // namespace

class TestLossScaler : public QObject {
    Q_OBJECT

private slots:
    void scalesTheLossAndUnscalesTheGradients() {
        train::LossScaler scaler(config(1024, 10));
        QCOMPARE(scaler.scaled(torch::tensor(0.5)).item<double>(), 512.0);
        torch::Tensor weight = torch::ones({3}, torch::requires_grad());
        scaler.scaled((weight * torch::tensor({1.0f, 2.0f, 3.0f})).sum()).backward();
        torch::Tensor noGrad = torch::ones({2}, torch::requires_grad());  // never used
        QVERIFY(scaler.unscale({weight, noGrad}));
        QVERIFY(torch::equal(weight.grad(), torch::tensor({1.0f, 2.0f, 3.0f})));
        weight.mutable_grad()[1] = std::numeric_limits<float>::infinity();
        QVERIFY(!scaler.unscale({weight}));
        weight.mutable_grad()[1] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(!scaler.unscale({weight}));
    }

    void overflowBacksOffAndGoodStepsGrow() {
        train::LossScaler scaler(config(65536, 3));
        scaler.update(false);
        QCOMPARE(scaler.scale(), 32768.0);
        QCOMPARE(scaler.skippedSteps(), int64_t(1));
        scaler.update(true);
        scaler.update(true);
        QCOMPARE(scaler.growthTracker(), 2);
        scaler.update(false);  // an overflow restarts the count
        QCOMPARE(scaler.growthTracker(), 0);
        QCOMPARE(scaler.scale(), 16384.0);
        for (int i = 0; i < 3; ++i)
            scaler.update(true);
        QCOMPARE(scaler.scale(), 32768.0);
        QCOMPARE(scaler.growthTracker(), 0);
        QCOMPARE(scaler.skippedSteps(), int64_t(2));

        train::LossScaler resumed(config(65536, 3));
        resumed.restore(scaler.scale(), 2, scaler.skippedSteps());
        resumed.update(true);
        QCOMPARE(resumed.scale(), 65536.0);  // the third good step in a row
    }
};

QTEST_APPLESS_MAIN(TestLossScaler)
#include "tst_loss_scaler.moc"
