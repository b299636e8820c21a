// Grouped dispatch equals the dense reference that runs every expert on every token.
#include "core/model/moe_experts.h"

#include <torch/torch.h>
#include <QtTest>

using strata::model::MoeExperts;

class TestMoeExperts : public QObject {
    Q_OBJECT

private slots:
    void dispatchEqualsDenseReference_data() {
        QTest::addColumn<int>("numTokens");
        QTest::addColumn<int>("topK");
        QTest::newRow("top-1") << 37 << 1;
        QTest::newRow("top-2") << 64 << 2;
        QTest::newRow("top-3, few tokens") << 3 << 3;
    }
    void dispatchEqualsDenseReference() {
        QFETCH(int, numTokens);
        QFETCH(int, topK);
        torch::manual_seed(numTokens);
        MoeExperts experts(6, 16, 24);
        torch::Tensor x = torch::randn({numTokens, 16});
        // Distinct experts per token, random weights (some zero, as dropped assignments are).
        torch::Tensor topIdx = std::get<1>(torch::rand({numTokens, 6}).topk(topK, -1));
        torch::Tensor topWeight =
            torch::rand({numTokens, topK}) * (torch::rand({numTokens, topK}) > 0.2);
        torch::Tensor grouped = experts->forward(x, topIdx, topWeight);
        torch::Tensor dense = experts->forwardDense(x, topIdx, topWeight);
        QVERIFY(torch::allclose(grouped, dense, 1e-5, 1e-5));
    }

    void gradientsMatchTheReference() {
        torch::manual_seed(3);
        MoeExperts experts(4, 8, 12);
        torch::Tensor x = torch::randn({20, 8});
        torch::Tensor topIdx = std::get<1>(torch::rand({20, 4}).topk(2, -1));
        torch::Tensor topWeight = torch::rand({20, 2});
        experts->forward(x, topIdx, topWeight).pow(2).sum().backward();
        torch::Tensor groupedGrad = experts->gate_EFD.grad().clone();
        experts->zero_grad();
        experts->forwardDense(x, topIdx, topWeight).pow(2).sum().backward();
        QVERIFY(torch::allclose(groupedGrad, experts->gate_EFD.grad(), 1e-4, 1e-5));
    }

    void rejectsMismatchedShapes() {
        MoeExperts experts(4, 8, 12);
        QVERIFY_THROWS_EXCEPTION(
            c10::Error, experts->forward(torch::zeros({5, 8}), torch::zeros({4, 2}, torch::kLong),
                                         torch::zeros({4, 2})));
    }
};

QTEST_APPLESS_MAIN(TestMoeExperts)
#include "tst_moe_experts.moc"
