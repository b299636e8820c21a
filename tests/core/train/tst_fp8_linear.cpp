// FP8 products and layers against references: at::_scaled_mm on the CPU equals the exact
// emulation; each recipe's FP8 layer gives outputs and gradients (inputs and weights) within a
// stated distance of the fp64 product, for both gradient formats; the grouped experts' product
// equals a product per expert; and the layer reports its operands' amax, power-of-two scales
// and counts, recording nothing without grad mode.
#include "core/train/fp8_linear.h"
#include "core/train/fp8_matmul.h"

#include <ATen/ops/_grouped_mm.h>
#include <torch/torch.h>
#include <QtTest>

using namespace strata;
using run::Fp8Config;
using run::Fp8Format;
using run::Fp8Recipe;

namespace {

double relativeError(const torch::Tensor& got, const torch::Tensor& want) {
    torch::Tensor want64 = want.to(torch::kFloat64);
    return ((got.to(torch::kFloat64) - want64).norm() / want64.norm()).item<double>();
}

Fp8Config configOf(Fp8Recipe recipe, Fp8Format gradFormat) {
    Fp8Config config;
    config.recipe = recipe;
    config.gradFormat =
        gradFormat == Fp8Format::E4M3 ? run::Fp8GradFormat::E4M3 : run::Fp8GradFormat::E5M2;
    return config;
}

struct Gradients {
    torch::Tensor y, dx, dw;
};

// y = x wᵀ and the gradients of sum(y * g), through `product`.
template <typename Product>
Gradients gradientsOf(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& g,
                      Product product) {
    torch::Tensor xv = x.clone().requires_grad_(true), wv = w.clone().requires_grad_(true);
    torch::Tensor y = product(xv, wv);
    (y * g).sum().backward();
    return {y.detach(), xv.grad(), wv.grad()};
}

}  // namespace

class TestFp8Linear : public QObject {
    Q_OBJECT

private slots:
    void init() { torch::manual_seed(11); }

    void scaledMmOnTheCpuEqualsTheEmulation() {
        torch::Tensor a = torch::randn({48, 96}), b = torch::randn({32, 96}) * 5;
        for (Fp8Format format : {Fp8Format::E4M3, Fp8Format::E5M2}) {
            train::Fp8Tensor qa = train::quantizeDynamic(a, format, train::kWholeTensor);
            train::Fp8Tensor qb = train::quantizeDynamic(b, Fp8Format::E4M3, train::kWholeTensor);
            QVERIFY(train::nativeFp8Matmul(qa, qb));
            torch::Tensor native = train::fp8Matmul(qa, qb, torch::kFloat32);
            torch::Tensor emulated = train::fp8MatmulEmulated(qa, qb, torch::kFloat32);
            // The same products of FP8 values, summed in fp32 in another order.
            QVERIFY2(torch::allclose(native, emulated, 1e-6, 1e-4),
                     qPrintable(QString::number(relativeError(native, emulated))));
        }
        // Finer scales have no CPU kernel: the emulation runs them.
        train::Fp8Tensor rows = train::quantizeDynamic(a, Fp8Format::E4M3, train::kPerRow);
        QVERIFY(!train::nativeFp8Matmul(rows, rows));
    }

    void layerOutputsAndGradientsAreCloseToFp64_data() {
        QTest::addColumn<int>("recipe");
        QTest::addColumn<int>("gradFormat");
        QTest::addColumn<double>("tolerance");  // of the gradients; outputs: E4M3's
        for (Fp8Recipe recipe :
             {Fp8Recipe::Tensorwise, Fp8Recipe::Delayed, Fp8Recipe::Rowwise, Fp8Recipe::Blockwise})
            for (Fp8Format format : {Fp8Format::E4M3, Fp8Format::E5M2})
                QTest::newRow(QByteArray(run::fp8RecipeName(recipe)) + " " +
                              run::fp8FormatName(format))
                    << int(recipe) << int(format) << (format == Fp8Format::E4M3 ? 0.05 : 0.09);
    }

    void layerOutputsAndGradientsAreCloseToFp64() {
        QFETCH(int, recipe);
        QFETCH(int, gradFormat);
        QFETCH(double, tolerance);
        // (2, 96, 256) inputs: 192 rows of 256 features, with 1x128 tiles and 128x128 blocks to
        // spare; a 160 x 256 weight.
        torch::Tensor x = torch::randn({2, 96, 256}), w = torch::randn({160, 256}) * 0.05;
        torch::Tensor g = torch::randn({2, 96, 160}) * 1e-3;
        Gradients want =
            gradientsOf(x.to(torch::kFloat64), w.to(torch::kFloat64), g.to(torch::kFloat64),
                        [](auto& xv, auto& wv) { return torch::matmul(xv, wv.t()); });
        train::Fp8Layer layer("w", configOf(Fp8Recipe(recipe), Fp8Format(gradFormat)), 1,
                              torch::kCPU);
        Gradients got =
            gradientsOf(x, w, g, [&](auto& xv, auto& wv) { return layer.linear(xv, wv); });
        QCOMPARE(got.y.sizes(), (torch::IntArrayRef{2, 96, 160}));
        // The output is the product of the operands rounded to E4M3 with the recipe's tiles.
        const bool fine =
            Fp8Recipe(recipe) == Fp8Recipe::Rowwise || Fp8Recipe(recipe) == Fp8Recipe::Blockwise;
        train::Fp8Tile inputTile = Fp8Recipe(recipe) == Fp8Recipe::Blockwise ? train::kTile1x128
                                   : fine                                    ? train::kPerRow
                                                                             : train::kWholeTensor;
        train::Fp8Tile weightTile =
            Fp8Recipe(recipe) == Fp8Recipe::Blockwise ? train::kBlock128x128 : inputTile;
        torch::Tensor rounded = train::fp8MatmulEmulated(
            train::quantizeDynamic(x.reshape({-1, 256}), Fp8Format::E4M3, inputTile),
            train::quantizeDynamic(w, Fp8Format::E4M3, weightTile), torch::kFloat32);
        QVERIFY(torch::allclose(got.y.reshape({-1, 160}), rounded, 1e-5, 1e-6));
        QVERIFY(relativeError(got.y, want.y) > 1e-3);  // and that rounding is real
        // Two E4M3 operands: each element within 2^-4, errors of a sum partly cancel.
        QVERIFY2(relativeError(got.y, want.y) < 0.05,
                 qPrintable(QString::number(relativeError(got.y, want.y))));
        QVERIFY2(relativeError(got.dx, want.dx) < tolerance,
                 qPrintable(QString::number(relativeError(got.dx, want.dx))));
        QVERIFY2(relativeError(got.dw, want.dw) < tolerance,
                 qPrintable(QString::number(relativeError(got.dw, want.dw))));
        QCOMPARE(got.dw.scalar_type(), torch::kFloat32);  // master weights' gradients stay fp32
    }

    void groupedExpertsEqualAProductPerExpert() {
        const int64_t experts = 3, in = 64, out = 96;
        torch::Tensor rows = torch::randn({40, in});
        torch::Tensor w = torch::randn({experts, out, in}) * 0.1;
        w[1] *= 100;  // each expert's weight has scales of its own
        torch::Tensor ends = torch::tensor({12, 12, 40}, torch::kInt32);  // expert 1 gets none
        torch::Tensor g = torch::randn({40, out});
        for (Fp8Recipe recipe : {Fp8Recipe::Tensorwise, Fp8Recipe::Blockwise}) {
            train::Fp8Layer grouped("experts", configOf(recipe, Fp8Format::E4M3), experts,
                                    torch::kCPU);
            Gradients got = gradientsOf(rows, w, g, [&](auto& xv, auto& wv) {
                return grouped.groupedLinear(xv, wv, ends);
            });
            Gradients want =
                gradientsOf(rows.to(torch::kFloat64), w.to(torch::kFloat64), g.to(torch::kFloat64),
                            [&](auto& xv, auto& wv) {
                                return torch::cat({torch::matmul(xv.narrow(0, 0, 12), wv[0].t()),
                                                   torch::matmul(xv.narrow(0, 12, 28), wv[2].t())});
                            });
            QVERIFY(relativeError(got.y, want.y) < 0.05);
            QVERIFY(relativeError(got.y, want.y) > 1e-3);  // rounded to FP8, not fp32 products
            QVERIFY(relativeError(got.dx, want.dx) < 0.05);
            QVERIFY(relativeError(got.dw[0], want.dw[0]) < 0.05);
            QVERIFY(relativeError(got.dw[2], want.dw[2]) < 0.05);
            QCOMPARE(got.dw[1].abs().max().item<float>(), 0.0f);  // no rows, no gradient
        }
    }

    // The step's micro-batches share one quantization of the weight: its underflows (one tiny
    // element) are counted once, the product is the same, and a weight changed in place is
    // quantized again.
    void theWeightIsQuantizedOncePerStep() {
        torch::manual_seed(8);
        torch::Tensor x = torch::rand({16, 64}) + 0.5, w = torch::randn({32, 64});
        w[0][0] = 1e-30;
        train::Fp8Layer layer("w", configOf(Fp8Recipe::Tensorwise, Fp8Format::E5M2), 1,
                              torch::kCPU);
        auto underflows = [&] { return layer.stepStats()[7].item<float>(); };
        torch::Tensor first = layer.linear(x, w);
        QCOMPARE(underflows(), 1.0f);
        QVERIFY(torch::equal(layer.linear(x, w), first));
        QCOMPARE(underflows(), 1.0f);
        {
            torch::NoGradGuard noGrad;
            w.mul_(2.0);
        }
        QVERIFY(torch::allclose(layer.linear(x, w), first * 2, 1e-5, 1e-5));
        QCOMPARE(underflows(), 2.0f);
        layer.endStep();
        layer.linear(x, w);
        QCOMPARE(underflows(), 1.0f);
    }

    void statisticsReportTheOperandsAndOnlyUnderGradMode() {
        torch::Tensor x = torch::randn({32, 64}) * 3, w = torch::randn({48, 64});
        train::Fp8Layer layer("w", configOf(Fp8Recipe::Rowwise, Fp8Format::E5M2), 1, torch::kCPU);
        {
            torch::NoGradGuard noGrad;
            layer.linear(x, w);
        }
        QCOMPARE(layer.stepStats()[0].item<float>(), 0.0f);  // a validation pass records nothing
        torch::Tensor g = torch::randn({32, 48}) * 1e-2;
        gradientsOf(x, w, g, [&](auto& xv, auto& wv) { return layer.linear(xv, wv); });
        torch::Tensor stats = layer.stepStats();
        QCOMPARE(stats.numel(), int64_t(8));
        QCOMPARE(stats[0].item<float>(), x.abs().max().item<float>());
        QCOMPARE(stats[1].item<float>(), w.abs().max().item<float>());
        QCOMPARE(stats[2].item<float>(), g.abs().max().item<float>());
        for (int i = 3; i < 6; ++i) {  // the scale of the tile that holds the amax
            QVERIFY(stats[i].item<float>() > 1);
            QCOMPARE(stats[i].item<float>(),
                     train::scaleForAmax(stats[i - 3], i == 5 ? Fp8Format::E5M2 : Fp8Format::E4M3)
                         .item<float>());
        }
        QCOMPARE(stats[6].item<float>(), 0.0f);  // dynamic scales never overflow
        layer.endStep();
        QCOMPARE(layer.stepStats()[0].item<float>(), 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestFp8Linear)
#include "tst_fp8_linear.moc"
