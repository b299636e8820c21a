// The CUDA paths against CPU float64 references, for a host with a GPU (scripts/gpu-check runs
// it there); without CUDA every test skips. Masked attention, whose backward torch 2.11's cuDNN
// kernel breaks at some lengths, has finite gradients equal to the reference at lengths around
// the kernels' tile sizes; the grouped expert products equal the dense reference with experts
// that get no rows, in float32 and bfloat16.
#include "core/model/causal_attention.h"
#include "core/model/moe_experts.h"
#include "core/model/sequence_layout.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <QtTest>

using namespace strata;

class TestCudaPaths : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!torch::cuda::is_available()) QSKIP("no CUDA device");
    }

    void maskedAttentionBackwardIsFinite_data() {
        QTest::addColumn<int>("length");
        for (int length : {17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513, 1000})
            QTest::newRow(std::to_string(length).c_str()) << length;
    }
    void maskedAttentionBackwardIsFinite() {
        QFETCH(int, length);
        torch::manual_seed(length);
        // Two rows of packed sequences (an explicit mask), grouped heads, bf16 on CUDA.
        const int64_t third = length / 3;
        model::SequenceLayout layout = model::stackLayouts(
            {model::packedRowLayout({third, length - third}, length),
             model::packedRowLayout({length - 2 * third, third, third}, length)});
        torch::Tensor mask =
            model::segmentMask(layout.segments_BT, layout.segments_BT, 0).unsqueeze(1);
        torch::Tensor q = torch::randn({2, 8, length, 64}, torch::kFloat64);
        torch::Tensor k = torch::randn({2, 2, length, 64}, torch::kFloat64);
        torch::Tensor v = torch::randn({2, 2, length, 64}, torch::kFloat64);
        auto run = [&](torch::Device device, torch::ScalarType type) {
            std::vector<torch::Tensor> inputs;
            for (const torch::Tensor& t : {q, k, v})
                inputs.push_back(t.to(device, type).requires_grad_());
            torch::Tensor out =
                model::causalAttention(inputs[0], inputs[1], inputs[2], 0, mask.to(device));
            out.to(torch::kFloat64).pow(2).sum().backward();
            std::vector<torch::Tensor> results{out.detach().to(torch::kCPU, torch::kFloat64)};
            for (const torch::Tensor& input : inputs)
                results.push_back(input.grad().to(torch::kCPU, torch::kFloat64));
            return results;
        };
        std::vector<torch::Tensor> reference = run(torch::kCPU, torch::kFloat64);
        std::vector<torch::Tensor> cuda = run(torch::Device(torch::kCUDA, 0), torch::kBFloat16);
        const char* names[] = {"output", "dq", "dk", "dv"};
        for (size_t i = 0; i < cuda.size(); ++i) {
            QVERIFY2(torch::isfinite(cuda[i]).all().item<bool>(), names[i]);
            double error = (cuda[i] - reference[i]).abs().max().item<double>();
            double scale = reference[i].abs().max().item<double>();
            QVERIFY2(error <= 0.05 * scale,
                     qPrintable(QString("%1: %2 of %3").arg(names[i]).arg(error).arg(scale)));
        }
    }

    void groupedExpertsEqualTheDenseReference_data() {
        QTest::addColumn<int>("dtype");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("float32") << int(torch::kFloat32) << 1e-3;
        QTest::newRow("bfloat16") << int(torch::kBFloat16) << 5e-2;
    }
    void groupedExpertsEqualTheDenseReference() {
        QFETCH(int, dtype);
        QFETCH(double, tolerance);
        torch::manual_seed(11);
        model::MoeExperts experts(8, 64, 96);
        // Experts 0, 3 and 7 get no rows; group sizes are odd.
        torch::Tensor topIdx =
            torch::tensor(std::vector<int64_t>{1, 2, 2, 4, 5, 5, 5, 6, 1, 2, 4}).unsqueeze(1);
        torch::Tensor x = torch::randn({topIdx.size(0), 64});
        torch::Tensor topWeight = torch::rand({topIdx.size(0), 1});
        experts->to(torch::kFloat64);
        torch::Tensor reference =
            experts->forwardDense(x.to(torch::kFloat64), topIdx, topWeight.to(torch::kFloat64));
        const torch::Device cuda(torch::kCUDA, 0);
        experts->to(cuda, torch::ScalarType(dtype));
        torch::Tensor y = experts->forward(x.to(cuda, torch::ScalarType(dtype)), topIdx.to(cuda),
                                           topWeight.to(cuda, torch::ScalarType(dtype)));
        QVERIFY(
            torch::allclose(y.to(torch::kCPU, torch::kFloat64), reference, tolerance, tolerance));
    }
};

QTEST_APPLESS_MAIN(TestCudaPaths)
#include "tst_cuda_paths.moc"
