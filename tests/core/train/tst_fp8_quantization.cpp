// FP8 quantization: every recipe's tiles round each element within the format's precision (half
// a unit in the last place, or half the smallest subnormal step near zero), scales are powers of
// two that fit each tile's amax under the format's largest value, dequantization is exact in bf16
// as in fp32, re-tiling for the transposed product keeps those bounds, and overflows and
// underflows are counted exactly.
#include "core/train/fp8_quantization.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;
using run::Fp8Format;
using train::Fp8Tile;

namespace {

// Half an ulp relative to |x| for normal numbers; half the smallest subnormal step (in scaled
// units) near zero.
double relativeHalfUlp(Fp8Format format) {
    return format == Fp8Format::E4M3 ? 1.0 / 16 : 1.0 / 8;
}
double halfSubnormalStep(Fp8Format format) {
    return format == Fp8Format::E4M3 ? std::ldexp(1.0, -10) : std::ldexp(1.0, -17);
}

// The largest error of q against x, in units of each element's allowed error.
double worstErrorRatio(const torch::Tensor& x, const train::Fp8Tensor& q) {
    torch::Tensor x64 = x.to(torch::kFloat64);
    torch::Tensor error = (q.dequantize().to(torch::kFloat64) - x64).abs();
    // Each element's scale, spread over the tiles as the quantizer spreads it: ones quantized
    // with the same scales are the scales themselves (powers of two, exact in FP8).
    train::Fp8Tensor ones = train::quantize(torch::ones_like(x), q.format, q.tile, q.scale);
    torch::Tensor elementScale = ones.data.to(torch::kFloat64);
    torch::Tensor allowed =
        relativeHalfUlp(q.format) * x64.abs() + halfSubnormalStep(q.format) / elementScale;
    return (error / allowed).max().item<double>();
}

torch::Tensor withOutliers(int64_t rows, int64_t cols) {
    torch::Tensor x = torch::randn({rows, cols}, torch::kFloat32);
    x[3] *= 1e5;              // one row of outliers, as activations have
    x.select(1, 5) *= 0.001;  // one small channel
    return x;
}

}  // namespace

class TestFp8Quantization : public QObject {
    Q_OBJECT

private slots:
    void init() { torch::manual_seed(7); }

    void everyRecipeRoundsWithinTheFormatsPrecision_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("tileRows");
        QTest::addColumn<int>("tileCols");
        for (Fp8Format format : {Fp8Format::E4M3, Fp8Format::E5M2})
            for (Fp8Tile tile :
                 {train::kWholeTensor, train::kPerRow, train::kTile1x128, train::kBlock128x128}) {
                QByteArray name = QByteArray(run::fp8FormatName(format)) + " " +
                                  QByteArray::number(tile.rows) + "x" +
                                  QByteArray::number(tile.cols);
                QTest::newRow(name) << int(format) << int(tile.rows) << int(tile.cols);
            }
    }

    void everyRecipeRoundsWithinTheFormatsPrecision() {
        QFETCH(int, format);
        QFETCH(int, tileRows);
        QFETCH(int, tileCols);
        torch::Tensor x = withOutliers(200, 300);
        train::Fp8Tensor q =
            train::quantizeDynamic(x, Fp8Format(format), Fp8Tile{tileRows, tileCols});
        QCOMPARE(q.data.scalar_type(), train::fp8ScalarType(Fp8Format(format)));
        QCOMPARE(q.data.sizes(), x.sizes());
        QVERIFY2(worstErrorRatio(x, q) <= 1.0, qPrintable(QString::number(worstErrorRatio(x, q))));
    }

    void finerTilesKeepSmallValuesBesideOutliers() {
        torch::Tensor x = withOutliers(256, 256);
        auto relativeError = [&](Fp8Tile tile) {
            train::Fp8Tensor q = train::quantizeDynamic(x, Fp8Format::E4M3, tile);
            torch::Tensor ordinary = torch::ones({256}, torch::kBool);
            ordinary[3] = false;  // rows other than the outliers'
            torch::Tensor error = (q.dequantize() - x).index({ordinary});
            return (error.norm() / x.index({ordinary}).norm()).item<double>();
        };
        double whole = relativeError(train::kWholeTensor);
        QVERIFY2(whole > 0.1,
                 qPrintable(QString::number(whole)));  // the outliers push them into subnormals
        QVERIFY(relativeError(train::kPerRow) < 0.05);
        QVERIFY(relativeError(train::kTile1x128) < 0.05);
    }

    void scalesArePowersOfTwoThatFitTheAmax() {
        torch::Tensor x = torch::randn({130, 260}) * 37;
        for (Fp8Format format : {Fp8Format::E4M3, Fp8Format::E5M2}) {
            const double maxValue = train::fp8MaxValue(format);
            torch::Tensor amax = train::tileAmax(x, train::kTile1x128);
            QCOMPARE(amax.sizes(), (torch::IntArrayRef{130, 3}));
            torch::Tensor scale = train::scaleForAmax(amax, format);
            torch::Tensor exponent = torch::log2(scale);
            QVERIFY(torch::equal(exponent, torch::round(exponent)));
            QVERIFY((amax * scale <= maxValue).all().item<bool>());
            QVERIFY((amax * scale > maxValue / 2).all().item<bool>());
            // margin: the scale halves per unit
            QVERIFY(torch::equal(train::scaleForAmax(amax, format, 2), scale / 4));
        }
        torch::Tensor special = torch::tensor({0.0f, std::numeric_limits<float>::infinity(),
                                               std::numeric_limits<float>::quiet_NaN()});
        QVERIFY(torch::equal(train::scaleForAmax(special, Fp8Format::E4M3), torch::ones({3})));
        // A subnormal amax gets the largest scale, not an infinite one, and its tile underflows
        // to zeros instead of turning into NaN.
        torch::Tensor tiny = torch::tensor({{1e-40f, 0.0f, -3e-41f}});
        torch::Tensor tinyScale =
            train::scaleForAmax(train::tileAmax(tiny, train::kWholeTensor), Fp8Format::E4M3);
        QCOMPARE(tinyScale.item<float>(), std::ldexp(1.0f, 100));
        train::Fp8Counts counts;
        train::Fp8Tensor q =
            train::quantize(tiny, Fp8Format::E4M3, train::kWholeTensor, tinyScale, &counts);
        QVERIFY(torch::equal(q.dequantize(), torch::zeros({1, 3})));
        QCOMPARE(counts.overflow_underflow[0].item<int64_t>(), int64_t(0));
        QCOMPARE(counts.overflow_underflow[1].item<int64_t>(), int64_t(2));
    }

    void tilesCoverRaggedAndBatchedShapes() {
        torch::Tensor x = torch::randn({3, 130, 200});
        x[1][129][199] = 500;
        torch::Tensor blocks = train::tileAmax(x, train::kBlock128x128);
        QCOMPARE(blocks.sizes(), (torch::IntArrayRef{3, 2, 2}));
        QCOMPARE(blocks[1][1][1].item<float>(), 500.0f);  // the ragged corner block
        QVERIFY(blocks[0][1][1].item<float>() < 500);     // experts never share a block
        QCOMPARE(train::tileAmax(x, train::kWholeTensor).sizes(), (torch::IntArrayRef{3, 1, 1}));
        QCOMPARE(train::tileAmax(x, train::kPerRow).sizes(), (torch::IntArrayRef{3, 130, 1}));
        train::Fp8Tensor q = train::quantizeDynamic(x, Fp8Format::E4M3, train::kBlock128x128);
        QVERIFY(worstErrorRatio(x[1], {q.data[1], q.scale[1], q.tile, q.format}) <= 1.0);
    }

    void dequantizationIsExactInBf16() {
        torch::Tensor x = torch::randn({64, 256}) * 0.01;
        train::Fp8Tensor q = train::quantizeDynamic(x, Fp8Format::E4M3, train::kTile1x128);
        QVERIFY(torch::equal(q.dequantize(torch::kBFloat16).to(torch::kFloat32), q.dequantize()));
    }

    void transposedOperandsKeepTheirBounds() {
        torch::Tensor x = withOutliers(256, 256);
        // Whole-tensor scales and square blocks carry over unchanged.
        for (Fp8Tile tile : {train::kWholeTensor, train::kBlock128x128}) {
            train::Fp8Tensor q = train::quantizeDynamic(x, Fp8Format::E4M3, tile);
            train::Fp8Tensor t = q.transposed(tile);
            QVERIFY(torch::equal(t.dequantize(), q.dequantize().t()));
        }
        // 1x128 tiles become 128x1: requantized from the FP8 values, still within bounds of them.
        train::Fp8Tensor q = train::quantizeDynamic(x, Fp8Format::E4M3, train::kTile1x128);
        train::Fp8Tensor t = q.transposed(train::kTile1x128);
        QCOMPARE(t.scale.sizes(), (torch::IntArrayRef{256, 2}));
        QVERIFY(worstErrorRatio(q.dequantize().t(), t) <= 1.0);
    }

    void overflowsAndUnderflowsAreCounted() {
        torch::Tensor x = torch::tensor({1.0f, 500.0f, -1000.0f, 1e-5f, 0.0f, -2e-6f, 3.0f});
        train::Fp8Counts counts;
        train::Fp8Tensor q = train::quantize(x.view({1, -1}), Fp8Format::E4M3, train::kWholeTensor,
                                             torch::ones({1, 1}), &counts);
        QCOMPARE(counts.overflow_underflow[0].item<int64_t>(), int64_t(2));  // 500, -1000
        QCOMPARE(counts.overflow_underflow[1].item<int64_t>(), int64_t(2));  // 1e-5, -2e-6
        QCOMPARE(q.dequantize()[0][1].item<float>(), 448.0f);                // clamped, not NaN
        QCOMPARE(q.dequantize()[0][2].item<float>(), -448.0f);
        train::quantize(x.view({1, -1}), Fp8Format::E4M3, train::kWholeTensor, torch::ones({1, 1}),
                        &counts);
        QCOMPARE(counts.overflow_underflow[0].item<int64_t>(), int64_t(4));  // accumulates
    }
};

QTEST_APPLESS_MAIN(TestFp8Quantization)
#include "tst_fp8_quantization.moc"
