// Grouped dispatch equals the dense reference that runs every expert on every token, in values
// and gradients, at the grouped product's edges (empty experts, odd and single-row groups) and in
// every dtype, and follows autocast's dtype.
#include "core/model/moe_experts.h"

#include <ATen/autocast_mode.h>
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
        torch::Tensor x = torch::randn({20, 8}, torch::requires_grad());
        // Expert 3 gets no token: its gradient must be exactly zero.
        torch::Tensor topIdx = std::get<1>(torch::rand({20, 3}).topk(2, -1));
        torch::Tensor topWeight = torch::rand({20, 2});
        experts->forward(x, topIdx, topWeight).pow(2).sum().backward();
        std::vector<torch::Tensor> grouped{experts->gate_EFD.grad().clone(),
                                           experts->up_EFD.grad().clone(),
                                           experts->down_EDF.grad().clone(), x.grad().clone()};
        experts->zero_grad();
        x.mutable_grad().reset();
        experts->forwardDense(x, topIdx, topWeight).pow(2).sum().backward();
        std::vector<torch::Tensor> dense{experts->gate_EFD.grad(), experts->up_EFD.grad(),
                                         experts->down_EDF.grad(), x.grad()};
        for (size_t i = 0; i < grouped.size(); ++i)
            QVERIFY2(torch::allclose(grouped[i], dense[i], 1e-4, 1e-5), std::to_string(i).c_str());
        QVERIFY(torch::equal(grouped[0][3], torch::zeros({12, 8})));
    }

    void autocastRunsTheExpertsInItsDtype() {
        torch::manual_seed(4);
        MoeExperts experts(4, 16, 32);
        torch::Tensor x = torch::randn({24, 16});
        torch::Tensor topIdx = std::get<1>(torch::rand({24, 4}).topk(2, -1));
        torch::Tensor topWeight = torch::rand({24, 2});
        torch::Tensor full = experts->forward(x, topIdx, topWeight);
        at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCPU, true);
        torch::Tensor mixed = experts->forward(x, topIdx, topWeight);
        at::autocast::set_autocast_enabled(at::kCPU, false);
        at::autocast::clear_cache();
        QCOMPARE(mixed.scalar_type(), torch::kFloat32);  // the residual stream keeps its dtype
        QVERIFY(!torch::equal(mixed, full));             // but the products ran in bf16
        QVERIFY(torch::allclose(mixed, full, 5e-2, 5e-2));
    }

    // The grouped product's edges: experts with no rows (first, middle and last), groups of odd
    // and single rows, and one token in all; values and gradients against the dense reference.
    void groupEdgesEqualTheDenseReference_data() {
        QTest::addColumn<QList<int>>("expertOfToken");
        QTest::newRow("first, middle and last expert empty") << QList<int>{1, 2, 1, 4, 2, 1, 4};
        QTest::newRow("odd groups") << QList<int>{0, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 5};
        QTest::newRow("one token") << QList<int>{3};
        QTest::newRow("every token to one expert") << QList<int>{5, 5, 5, 5, 5};
    }
    void groupEdgesEqualTheDenseReference() {
        QFETCH(QList<int>, expertOfToken);
        torch::manual_seed(int(expertOfToken.size()));
        MoeExperts experts(6, 16, 24);
        const int64_t tokens = expertOfToken.size();
        torch::Tensor x = torch::randn({tokens, 16}, torch::requires_grad());
        torch::Tensor topIdx =
            torch::tensor(std::vector<int64_t>(expertOfToken.begin(), expertOfToken.end()))
                .unsqueeze(1);
        torch::Tensor topWeight = torch::rand({tokens, 1});
        experts->forward(x, topIdx, topWeight).pow(2).sum().backward();
        std::vector<torch::Tensor> grouped{experts->gate_EFD.grad().clone(),
                                           experts->down_EDF.grad().clone(), x.grad().clone()};
        experts->zero_grad();
        x.mutable_grad().reset();
        experts->forwardDense(x, topIdx, topWeight).pow(2).sum().backward();
        std::vector<torch::Tensor> dense{experts->gate_EFD.grad(), experts->down_EDF.grad(),
                                         x.grad()};
        for (size_t i = 0; i < grouped.size(); ++i)
            QVERIFY2(torch::allclose(grouped[i], dense[i], 1e-4, 1e-5), std::to_string(i).c_str());
    }

    // The experts in each dtype the grouped product takes on the CPU, against the float64 dense
    // reference within that dtype's rounding.
    void everyDtypeEqualsTheReference_data() {
        QTest::addColumn<int>("dtype");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("float32") << int(torch::kFloat32) << 1e-5;
        QTest::newRow("bfloat16") << int(torch::kBFloat16) << 5e-2;
        QTest::newRow("float16") << int(torch::kFloat16) << 1e-2;
    }
    void everyDtypeEqualsTheReference() {
        QFETCH(int, dtype);
        QFETCH(double, tolerance);
        torch::manual_seed(7);
        MoeExperts experts(5, 16, 32);
        torch::Tensor x = torch::randn({21, 16});
        torch::Tensor topIdx = std::get<1>(torch::rand({21, 5}).topk(2, -1));
        torch::Tensor topWeight = torch::rand({21, 2});
        experts->to(torch::kFloat64);
        torch::Tensor reference =
            experts->forwardDense(x.to(torch::kFloat64), topIdx, topWeight.to(torch::kFloat64));
        experts->to(torch::ScalarType(dtype));
        torch::Tensor y = experts->forward(x.to(torch::ScalarType(dtype)), topIdx,
                                           topWeight.to(torch::ScalarType(dtype)));
        QCOMPARE(y.scalar_type(), torch::ScalarType(dtype));
        QVERIFY(torch::allclose(y.to(torch::kFloat64), reference, tolerance, tolerance));
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
