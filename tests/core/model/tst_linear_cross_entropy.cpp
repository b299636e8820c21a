// The fused output projection + cross-entropy against the plain one (logits, then
// cross_entropy): the same loss and the same gradients for any chunk size, weighted by row (SFT's
// assistant mask) or not, with a frozen side getting no gradient, and a plain loss without grad
// mode; per-token log-probabilities and entropies with their gradients against log_softmax.
#include "core/model/linear_cross_entropy.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <QtTest>

using strata::model::linearCrossEntropy;
using strata::model::linearTokenLogProbs;
using strata::model::weightedLinearCrossEntropy;

class TestLinearCrossEntropy : public QObject {
    Q_OBJECT

private slots:
    void matchesLogitsThenCrossEntropy_data() {
        QTest::addColumn<int>("chunkRows");
        QTest::newRow("one row") << 1;
        QTest::newRow("uneven") << 7;
        QTest::newRow("all at once") << 4096;
    }
    void matchesLogitsThenCrossEntropy() {
        QFETCH(int, chunkRows);
        torch::manual_seed(3);
        torch::Tensor hidden = torch::randn({30, 16}, torch::requires_grad());
        torch::Tensor weight = torch::randn({50, 16}, torch::requires_grad());
        torch::Tensor targets = torch::randint(50, {30});
        torch::Tensor fused = linearCrossEntropy(hidden, weight, targets, chunkRows);
        (fused * 2.5).backward();
        torch::Tensor fusedHiddenGrad = hidden.grad().clone(),
                      fusedWeightGrad = weight.grad().clone();
        hidden.mutable_grad().reset();
        weight.mutable_grad().reset();

        torch::Tensor plain =
            torch::nn::functional::cross_entropy(torch::matmul(hidden, weight.t()), targets);
        (plain * 2.5).backward();
        QVERIFY(torch::allclose(fused, plain, 1e-5, 1e-6));
        QVERIFY(torch::allclose(fusedHiddenGrad, hidden.grad(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(fusedWeightGrad, weight.grad(), 1e-5, 1e-6));
    }

    void weightedMatchesTheWeightedSumOfCrossEntropies() {
        torch::manual_seed(5);
        torch::Tensor hidden = torch::randn({30, 16}, torch::requires_grad());
        torch::Tensor weight = torch::randn({50, 16}, torch::requires_grad());
        torch::Tensor targets = torch::randint(50, {30});
        // A mask of zeros and ones, and a fractional weight.
        torch::Tensor weights = (torch::rand({30}) > 0.4).to(torch::kFloat32);
        weights[3] = 0.5;
        torch::Tensor fused = weightedLinearCrossEntropy(hidden, weight, targets, weights, 7);
        (fused * 0.3).backward();
        torch::Tensor fusedHiddenGrad = hidden.grad().clone(),
                      fusedWeightGrad = weight.grad().clone();
        hidden.mutable_grad().reset();
        weight.mutable_grad().reset();

        torch::Tensor plain =
            (torch::nn::functional::cross_entropy(
                 torch::matmul(hidden, weight.t()), targets,
                 torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)) *
             weights)
                .sum();
        (plain * 0.3).backward();
        QVERIFY(torch::allclose(fused, plain, 1e-5, 1e-5));
        QVERIFY(torch::allclose(fusedHiddenGrad, hidden.grad(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(fusedWeightGrad, weight.grad(), 1e-5, 1e-6));
    }

    void aFrozenHeadGetsNoGradient() {
        torch::manual_seed(6);
        torch::Tensor hidden = torch::randn({12, 8}, torch::requires_grad());
        torch::Tensor weight = torch::randn({20, 8});
        torch::Tensor targets = torch::randint(20, {12});
        torch::Tensor loss = weightedLinearCrossEntropy(hidden, weight, targets, torch::ones({12}));
        loss.backward();
        QVERIFY(hidden.grad().defined());
        QVERIFY(!weight.grad().defined());
        torch::Tensor reference = hidden.detach().clone().requires_grad_();
        torch::nn::functional::cross_entropy(
            torch::matmul(reference, weight.t()), targets,
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
            .backward();
        QVERIFY(torch::allclose(hidden.grad(), reference.grad(), 1e-5, 1e-6));
    }

    // Both outputs and a gradient through each: the log-probabilities and entropies of the
    // tempered softmax, against log_softmax on the whole logits.
    void tokenLogProbsAndEntropyMatchLogSoftmaxWithTheirGradients() {
        torch::manual_seed(9);
        torch::Tensor hidden = torch::randn({30, 16}, torch::requires_grad());
        torch::Tensor weight = torch::randn({50, 16}, torch::requires_grad());
        torch::Tensor targets = torch::randint(50, {30});
        torch::Tensor upstream = torch::randn({30}), upstreamEntropy = torch::randn({30});
        strata::model::TokenLogProbs fused = linearTokenLogProbs(hidden, weight, targets, 0.7, 7);
        ((fused.logProbs_N * upstream).sum() + (fused.entropy_N * upstreamEntropy).sum())
            .backward();
        torch::Tensor fusedHiddenGrad = hidden.grad().clone(),
                      fusedWeightGrad = weight.grad().clone();
        hidden.mutable_grad().reset();
        weight.mutable_grad().reset();

        torch::Tensor logProbs_NV = torch::log_softmax(torch::matmul(hidden, weight.t()) / 0.7, -1);
        torch::Tensor plain = logProbs_NV.gather(1, targets.unsqueeze(1)).squeeze(1);
        torch::Tensor entropy = -(logProbs_NV.exp() * logProbs_NV).sum(-1);
        ((plain * upstream).sum() + (entropy * upstreamEntropy).sum()).backward();
        QVERIFY(torch::allclose(fused.logProbs_N, plain, 1e-5, 1e-5));
        QVERIFY(torch::allclose(fused.entropy_N, entropy, 1e-5, 1e-5));
        // Gradients up to about 16, so an absolute tolerance of float32 rounding at that size.
        QVERIFY(torch::allclose(fusedHiddenGrad, hidden.grad(), 1e-5, 1e-5));
        QVERIFY(torch::allclose(fusedWeightGrad, weight.grad(), 1e-5, 1e-5));
    }

    // Under autocast the chunks' products run in bf16, as autocast would run the plain product
    // (the weight cast once per call), and the gradients come back in the inputs' float32.
    void autocastTakesBfloat16Products() {
        torch::manual_seed(6);
        torch::Tensor hidden = torch::randn({40, 16}, torch::requires_grad());
        torch::Tensor weight = torch::randn({50, 16}, torch::requires_grad());
        torch::Tensor targets = torch::randint(50, {40});
        at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCPU, true);
        torch::Tensor fused = linearCrossEntropy(hidden, weight, targets, 16);
        torch::Tensor plain = torch::nn::functional::cross_entropy(
            torch::matmul(hidden, weight.t()).to(torch::kFloat32), targets);
        at::autocast::set_autocast_enabled(at::kCPU, false);
        at::autocast::clear_cache();
        QVERIFY(torch::allclose(fused, plain, 1e-5, 1e-5));
        fused.backward();
        QCOMPARE(hidden.grad().scalar_type(), torch::kFloat32);
        QCOMPARE(weight.grad().scalar_type(), torch::kFloat32);
        torch::Tensor exact =
            torch::nn::functional::cross_entropy(torch::matmul(hidden, weight.t()), targets);
        QVERIFY(!torch::allclose(fused, exact, 1e-5, 1e-5));  // bf16 products, not float32
    }

    void withoutGradModeOnlyTheLoss() {
        torch::manual_seed(4);
        torch::Tensor hidden = torch::randn({8, 4});
        torch::Tensor weight = torch::randn({10, 4}, torch::requires_grad());
        torch::Tensor targets = torch::randint(10, {8});
        torch::NoGradGuard noGrad;
        torch::Tensor loss = linearCrossEntropy(hidden, weight, targets);
        QVERIFY(!loss.requires_grad());
        QVERIFY(torch::allclose(loss, torch::nn::functional::cross_entropy(
                                          torch::matmul(hidden, weight.t()), targets)));
    }

    void rejectsMismatchedShapes() {
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 linearCrossEntropy(torch::zeros({4, 3}), torch::zeros({5, 2}),
                                                    torch::zeros({4}, torch::kInt64)));
    }
};

QTEST_APPLESS_MAIN(TestLinearCrossEntropy)
#include "tst_linear_cross_entropy.moc"
