// Rotary embeddings: rotations keep norms, the score of a query and a key depends only on their
// distance, positions after an offset match the same positions of a longer sequence, and the
// layout is the half-split one of Llama checkpoints.
#include "core/model/rotary.h"

#include <torch/torch.h>
#include <QtTest>

using strata::model::RotaryEmbedding;

class TestRotary : public QObject {
    Q_OBJECT

private slots:
    void keepsNorms() {
        torch::manual_seed(0);
        RotaryEmbedding rope(16, 10000.0);
        torch::Tensor x = torch::randn({2, 3, 10, 16});
        QVERIFY(torch::allclose(rope->forward(x).norm(2, -1), x.norm(2, -1), 1e-5, 1e-5));
    }

    void scoresDependOnDistanceOnly() {
        torch::manual_seed(1);
        RotaryEmbedding rope(8, 10000.0);
        torch::Tensor q = torch::randn({1, 1, 1, 8}), k = torch::randn({1, 1, 1, 8});
        auto score = [&](int64_t queryPosition, int64_t keyPosition) {
            return (rope->forward(q, queryPosition) * rope->forward(k, keyPosition))
                .sum()
                .item<double>();
        };
        QVERIFY(std::abs(score(5, 2) - score(40, 37)) < 1e-4);
        QVERIFY(std::abs(score(5, 2) - score(5, 3)) > 1e-3);
    }

    void offsetMatchesTheLongerSequence() {
        torch::manual_seed(2);
        RotaryEmbedding rope(8, 500.0);
        torch::Tensor x = torch::randn({2, 2, 12, 8});
        torch::Tensor whole = rope->forward(x);
        torch::Tensor tail = rope->forward(x.narrow(2, 7, 5), 7);
        QVERIFY(torch::allclose(whole.narrow(2, 7, 5), tail, 1e-6, 1e-6));
    }

    void matchesRotateHalf() {
        // transformers' formula, x * cos + rotate_half(x) * sin, on a transposed (B, H, T, Dh)
        // view as attention hands it over.
        torch::manual_seed(3);
        RotaryEmbedding rope(8, 100.0);
        torch::Tensor x = torch::randn({2, 5, 3, 8}).transpose(1, 2);
        torch::Tensor angles = torch::arange(4, 9).to(torch::kFloat32).unsqueeze(-1) *
                               (1.0 / torch::pow(100.0, torch::arange(0, 8, 2) / 8.0));
        torch::Tensor angles_Dh = torch::cat({angles, angles}, -1);
        std::vector<torch::Tensor> halves = x.chunk(2, -1);
        torch::Tensor expected =
            x * angles_Dh.cos() + torch::cat({-halves[1], halves[0]}, -1) * angles_Dh.sin();
        QVERIFY(torch::allclose(rope->forward(x, 4), expected, 1e-6, 1e-6));
    }

    void halfSplitLayout() {
        // Position 1, one frequency pair (dims 0 and 2 for Dh = 4 at base 1: angle 1 radian).
        RotaryEmbedding rope(4, 1.0);
        torch::Tensor x =
            torch::tensor({1.0f, 0.0f, 0.0f, 0.0f}).view({1, 1, 1, 4}).repeat({1, 1, 2, 1});
        torch::Tensor y = rope->forward(x)[0][0][1];
        QVERIFY(std::abs(y[0].item<double>() - std::cos(1.0)) < 1e-6);
        QVERIFY(std::abs(y[2].item<double>() - std::sin(1.0)) < 1e-6);
    }

    void linearScalingDividesPositions() {
        torch::manual_seed(3);
        RotaryEmbedding plain(8, 10000.0);
        const strata::model_spec::RopeScaling linear{
            .kind = strata::model_spec::RopeScalingKind::Linear, .factor = 2.0};
        RotaryEmbedding scaled(8, 10000.0, linear);
        torch::Tensor x = torch::randn({1, 2, 1, 8});
        QVERIFY(torch::allclose(scaled->forward(x, 6), plain->forward(x, 3), 1e-6, 1e-6));
    }

    void rejectsANegativeOffset() {
        RotaryEmbedding rope(4, 10000.0);
        QVERIFY_THROWS_EXCEPTION(c10::Error, rope->forward(torch::zeros({1, 1, 4, 4}), -1));
    }
};

QTEST_APPLESS_MAIN(TestRotary)
#include "tst_rotary.moc"
