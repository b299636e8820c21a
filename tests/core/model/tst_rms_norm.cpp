// RmsNorm against its formula, in fp32 and from bf16 input, its hand-written gradient against
// autograd through the formula, and ATen's fused call, which CUDA takes, against both.
#include "core/model/rms_norm.h"

#include <ATen/ops/_fused_rms_norm.h>
#include <torch/torch.h>
#include <QtTest>

#include <functional>

using strata::model::RmsNorm;

namespace {

using Reference = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& weight)>;

// RmsNorm(8, eps) with weights 0.5 .. 2 against reference(x, weight) on random input: the same
// values, and the same gradients of x and of the weight for a random upstream gradient.
bool agreesWith(double eps, const Reference& reference) {
    RmsNorm norm(8, eps);
    {
        torch::NoGradGuard noGrad;
        norm->weight.copy_(torch::linspace(0.5, 2.0, 8));
    }
    torch::Tensor x = torch::randn({3, 5, 8}, torch::requires_grad());
    torch::Tensor upstream = torch::randn({3, 5, 8});
    torch::Tensor y = norm->forward(x);
    (y * upstream).sum().backward();

    torch::Tensor x2 = x.detach().clone().requires_grad_(true);
    torch::Tensor w2 = norm->weight.detach().clone().requires_grad_(true);
    torch::Tensor y2 = reference(x2, w2);
    (y2 * upstream).sum().backward();
    return torch::allclose(y, y2, 1e-5, 1e-6) && torch::allclose(x.grad(), x2.grad(), 1e-5, 1e-6) &&
           torch::allclose(norm->weight.grad(), w2.grad(), 1e-5, 1e-6);
}

}  // namespace

class TestRmsNorm : public QObject {
    Q_OBJECT

private slots:
    void matchesTheFormula() {
        torch::manual_seed(0);
        RmsNorm norm(8, 1e-6);
        torch::NoGradGuard noGrad;
        norm->weight.copy_(torch::linspace(0.5, 2.0, 8));
        torch::Tensor x = torch::randn({2, 3, 8});
        torch::Tensor expected =
            x / torch::sqrt(x.pow(2).mean(-1, true) + 1e-6) * torch::linspace(0.5, 2.0, 8);
        QVERIFY(torch::allclose(norm->forward(x), expected, 1e-5, 1e-6));
    }

    void keepsTheInputDtypeAndComputesInFp32() {
        torch::manual_seed(1);
        RmsNorm norm(16, 1e-6);
        torch::Tensor x = torch::randn({4, 16}) *
                          1e-3;  // small values: a bf16 mean of squares would underflow badly
        torch::Tensor y = norm->forward(x.to(torch::kBFloat16));
        QCOMPARE(y.scalar_type(), torch::kBFloat16);
        QVERIFY(torch::allclose(y.to(torch::kFloat32), norm->forward(x), 1e-2, 1e-2));
    }

    void gradientsMatchAutogradThroughTheFormula() {
        torch::manual_seed(2);
        QVERIFY(agreesWith(1e-6, [](const torch::Tensor& x, const torch::Tensor& weight) {
            return x * torch::rsqrt(x.pow(2).mean(-1, true) + 1e-6) * weight;
        }));
    }

    // The call RmsNorm makes on CUDA, here through ATen's CPU decomposition: the same values and
    // gradients, so the arguments (normalized shape, weight, eps) mean what the norm means.
    void atenFusedCallAgrees() {
        torch::manual_seed(3);
        QVERIFY(agreesWith(1e-5, [](const torch::Tensor& x, const torch::Tensor& weight) {
            return std::get<0>(at::_fused_rms_norm(x, {8}, weight, 1e-5));
        }));
    }

    void rejectsTheWrongWidth() {
        RmsNorm norm(8, 1e-6);
        QVERIFY_THROWS_EXCEPTION(c10::Error, norm->forward(torch::zeros({2, 7})));
    }
};

QTEST_APPLESS_MAIN(TestRmsNorm)
#include "tst_rms_norm.moc"
