// The alignment losses against hand-computed values and direct computations: Bradley-Terry and
// DPO, GAE against its per-step definition, the clipped surrogate's zero gradient outside the
// clip range, the KL estimators (zero when policy equals reference), GRPO's group advantages and
// loss aggregations, the adaptive KL coefficient, and response batches with their masks and
// their fused response log-probabilities and per-token scores (log-probabilities and entropies)
// against the log-softmax of the logits.
#include "core/align/group_advantages.h"
#include "core/align/kl_controller.h"
#include "core/align/policy_losses.h"
#include "core/align/preference_losses.h"
#include "core/align/response_batch.h"

#include <torch/torch.h>
#include <QtTest>

#include <cmath>

using namespace strata::align;

namespace {

double logSigmoid(double x) {
    return -std::log1p(std::exp(-x));
}

bool near(const torch::Tensor& value, double expected, double tolerance = 1e-5) {
    return std::abs(value.item<double>() - expected) < tolerance;
}

// A one-layer dense model with a 32-token vocabulary, to score responses with.
strata::model::Transformer tinyPolicy() {
    return strata::model::Transformer(
        strata::model_spec::ModelConfig{.vocabSize = 32,
                                        .dModel = 16,
                                        .numLayers = 1,
                                        .contextLength = 16,
                                        .numDenseLayers = 1,
                                        .attention = {.numHeads = 2, .numKvHeads = 1}});
}

}  // namespace

class TestAlignLosses : public QObject {
    Q_OBJECT

private slots:
    void theAdaptiveKlCoefficientFollowsItsTarget() {
        KlController kl(0.1);
        // KL twice the target: the error clips at +0.2, scaled by 100 samples of a 10000 horizon.
        kl->update(12.0, 100, 6.0, 10000);
        QVERIFY(std::abs(kl->value() - 0.1 * 1.002) < 1e-12);
        // A KL 10% under the target lowers it by that much, scaled alike.
        double before = kl->value();
        kl->update(5.4, 100, 6.0, 10000);
        QVERIFY(std::abs(kl->value() - before * (1.0 - 0.1 * 0.01)) < 1e-12);
    }

    void bradleyTerryMatchesHandValues() {
        torch::Tensor chosen = torch::tensor({2.0, 0.5}), rejected = torch::tensor({1.0, 1.5});
        // pairs: -log sigmoid(1 - 0.5), -log sigmoid(-1 - 0.5)
        double expected = -(logSigmoid(0.5) + logSigmoid(-1.5)) / 2;
        QVERIFY(near(bradleyTerryLoss(chosen, rejected, 0.5), expected));
        QVERIFY(near(bradleyTerryLoss(chosen, rejected, 0.0),
                     -(logSigmoid(1.0) + logSigmoid(-1.0)) / 2));
    }

    void dpoMatchesHandValues() {
        DpoOutput out = dpoLoss(torch::tensor({-3.0}), torch::tensor({-5.0}), torch::tensor({-4.0}),
                                torch::tensor({-4.5}), 0.1);
        // chosen reward 0.1 * 1 = 0.1, rejected 0.1 * -0.5 = -0.05, loss -log sigmoid(0.15)
        QVERIFY(near(out.chosenRewards_N, 0.1));
        QVERIFY(near(out.rejectedRewards_N, -0.05));
        QVERIFY(near(out.loss, -logSigmoid(0.15)));
        // Policy equal to the reference: log 2 whatever the responses.
        QVERIFY(near(dpoLoss(torch::tensor({-3.0}), torch::tensor({-5.0}), torch::tensor({-3.0}),
                             torch::tensor({-5.0}), 0.1)
                         .loss,
                     std::log(2.0)));
    }

    void gaeEqualsItsPerStepDefinition() {
        torch::manual_seed(0);
        torch::Tensor rewards = torch::randn({3, 5}), values = torch::randn({3, 5});
        torch::Tensor mask =
            torch::tensor({{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 0, 0, 0, 0}}).to(torch::kFloat32);
        const double gamma = 0.9, lambda = 0.8;
        Advantages out = generalizedAdvantages(rewards, values, mask, gamma, lambda);
        for (int64_t b = 0; b < 3; ++b) {
            int64_t length = mask[b].sum().item<int64_t>();
            for (int64_t t = 0; t < length; ++t) {
                // A_t = sum_k (gamma lambda)^k delta_{t+k}, V after the end = 0.
                double expected = 0;
                for (int64_t k = t; k < length; ++k) {
                    double next = k + 1 < length ? values[b][k + 1].item<double>() : 0.0;
                    double delta =
                        rewards[b][k].item<double>() + gamma * next - values[b][k].item<double>();
                    expected += std::pow(gamma * lambda, double(k - t)) * delta;
                }
                QVERIFY(near(out.advantages_BT[b][t], expected));
                QVERIFY(near(out.returns_BT[b][t], expected + values[b][t].item<double>()));
            }
            for (int64_t t = length; t < 5; ++t)
                QCOMPARE(out.advantages_BT[b][t].item<double>(), 0.0);
        }
    }

    void clippedSurrogateHasNoGradientOutsideTheClipRange() {
        // ratios e^0.5 (above 1.2) with a positive advantage, e^-0.5 (below 0.8) with a negative
        // one: both clipped, so no gradient; e^0.05 inside the range keeps its gradient.
        torch::Tensor logProbs = torch::tensor({{0.5, -0.5, 0.05}}, torch::requires_grad());
        torch::Tensor old = torch::zeros({1, 3});
        torch::Tensor advantages = torch::tensor({{1.0, -1.0, 1.0}});
        SurrogateLoss loss = clippedSurrogate(logProbs, old, advantages, 0.2);
        loss.loss_BT.sum().backward();
        QCOMPARE(logProbs.grad()[0][0].item<double>(), 0.0);
        QCOMPARE(logProbs.grad()[0][1].item<double>(), 0.0);
        QVERIFY(near(logProbs.grad()[0][2], -std::exp(0.05)));
        QCOMPARE(loss.clipped_BT[0][0].item<float>(), 1.0f);
        QCOMPARE(loss.clipped_BT[0][2].item<float>(), 0.0f);
        // Where the unclipped branch is the larger loss, it keeps the gradient (pessimism).
        torch::Tensor low = torch::tensor({{-0.5}}, torch::requires_grad());
        clippedSurrogate(low, torch::zeros({1, 1}), torch::tensor({{1.0}}), 0.2)
            .loss_BT.sum()
            .backward();
        QVERIFY(near(low.grad()[0][0], -std::exp(-0.5)));
    }

    void klIsZeroWhenPolicyEqualsReference() {
        torch::Tensor logProbs = torch::log(torch::tensor({{0.2, 0.5, 0.9}}));
        for (strata::run::KlEstimator estimator :
             {strata::run::KlEstimator::K1, strata::run::KlEstimator::K2,
              strata::run::KlEstimator::K3})
            QVERIFY(
                torch::allclose(klPerToken(logProbs, logProbs, estimator), torch::zeros({1, 3})));
        // log pi = log 0.5, log ref = log 0.25: k1 = log 2, k2 = (log 2)^2 / 2, k3 = 0.5 - 1 + log
        // 2
        torch::Tensor pi = torch::tensor({{std::log(0.5)}}),
                      ref = torch::tensor({{std::log(0.25)}});
        QVERIFY(near(klPerToken(pi, ref, strata::run::KlEstimator::K1), std::log(2.0)));
        QVERIFY(near(klPerToken(pi, ref, strata::run::KlEstimator::K2),
                     std::pow(std::log(2.0), 2) / 2));
        QVERIFY(near(klPerToken(pi, ref, strata::run::KlEstimator::K3), 0.5 - 1 + std::log(2.0)));
    }

    void valueLossClipsAroundTheOldValue() {
        torch::Tensor values = torch::tensor({{1.0}}), old = torch::tensor({{0.0}});
        torch::Tensor returns = torch::tensor({{2.0}}), mask = torch::ones({1, 1});
        // unclipped (1 - 2)^2 = 1, clipped (0.2 - 2)^2 = 3.24: the larger, halved.
        QVERIFY(near(clippedValueLoss(values, old, returns, mask, 0.2), 3.24 / 2));
        QVERIFY(near(clippedValueLoss(values, old, returns, mask, 0.0), 0.5));
    }

    void groupAdvantagesAndAggregations() {
        torch::Tensor rewards = torch::tensor({{1.0, 0.0, 0.0, 1.0}, {0.5, 0.5, 0.5, 0.5}});
        torch::Tensor scaled = groupAdvantages(rewards, true);
        double std = std::sqrt(1.0 / 3.0);  // unbiased deviation of {1, 0, 0, 1}
        QVERIFY(near(scaled[0][0], 0.5 / (std + 1e-4)));
        QVERIFY(near(scaled[1][2], 0.0));
        QVERIFY(near(groupAdvantages(rewards, false)[0][1], -0.5));

        torch::Tensor loss = torch::tensor({{1.0, 2.0, 3.0}, {4.0, 0.0, 0.0}});
        torch::Tensor mask = torch::tensor({{1.0, 1.0, 1.0}, {1.0, 0.0, 0.0}});
        QVERIFY(near(aggregateLoss(loss, mask, strata::run::LossAggregation::Sequence, 3),
                     (2.0 + 4.0) / 2));
        QVERIFY(near(aggregateLoss(loss, mask, strata::run::LossAggregation::Token, 3), 10.0 / 4));
        QVERIFY(
            near(aggregateLoss(loss, mask, strata::run::LossAggregation::DrGrpo, 5), 10.0 / 10));
    }

    void tokenScoresEqualTheLogSoftmaxOfTheLogits() {
        torch::manual_seed(6);
        strata::model::Transformer model = tinyPolicy();
        torch::NoGradGuard noGrad;
        torch::Tensor tokens = torch::randint(32, {3, 9});
        TokenScores scores =
            tokenScores(model, model->forwardHidden(tokens).hidden_BTD, tokens, 0.8);
        torch::Tensor logProbs_BTV =
            torch::log_softmax(model->forward(tokens).logits_BTV.narrow(1, 0, 8) / 0.8, -1);
        QVERIFY(torch::allclose(
            scores.logProbs_BT,
            logProbs_BTV.gather(2, tokens.narrow(1, 1, 8).unsqueeze(2)).squeeze(2), 1e-5, 1e-5));
        QVERIFY(torch::allclose(scores.entropy_BT, -(logProbs_BTV.exp() * logProbs_BTV).sum(-1),
                                1e-5, 1e-5));
    }

    void responseLogProbsEqualTheMaskedLogSoftmax() {
        torch::manual_seed(5);
        strata::model::Transformer model = tinyPolicy();
        ResponseBatch batch =
            makeResponseBatch({{1, 2, 3}, {4}}, {{5, 6}, {7, 8, 9}}, 16, torch::kCPU);
        torch::Tensor fused = responseLogProbs(model, batch);
        fused.sum().backward();
        std::vector<torch::Tensor> fusedGrads;
        for (const torch::Tensor& parameter : model->parameters()) {
            fusedGrads.push_back(parameter.grad().clone());
            parameter.mutable_grad().reset();
        }
        torch::Tensor logits = model->forward(batch.tokens_BT).logits_BTV;
        torch::Tensor targets = batch.tokens_BT.narrow(1, 1, logits.size(1) - 1).unsqueeze(2);
        torch::Tensor plain = (torch::log_softmax(logits.narrow(1, 0, logits.size(1) - 1), -1)
                                   .gather(2, targets)
                                   .squeeze(2) *
                               batch.mask_BT1)
                                  .sum(1);
        plain.sum().backward();
        QVERIFY(torch::allclose(fused, plain, 1e-5, 1e-5));
        auto parameters = model->parameters();
        for (size_t i = 0; i < parameters.size(); ++i)
            QVERIFY(torch::allclose(fusedGrads[i], parameters[i].grad(), 1e-5, 1e-6));
    }

    void responseBatchMasksResponseTargets() {
        ResponseBatch batch =
            makeResponseBatch({{1, 2, 3}, {4}}, {{5, 6}, {7, 8, 9}}, 16, torch::kCPU);
        QCOMPARE(batch.tokens_BT.size(1), int64_t(5));
        // Row 0: 1 2 3 | 5 6 -> positions 2 and 3 predict 5 and 6.
        QVERIFY(torch::equal(batch.mask_BT1[0], torch::tensor({0.0f, 0.0f, 1.0f, 1.0f})));
        QVERIFY(torch::equal(batch.mask_BT1[1], torch::tensor({1.0f, 1.0f, 1.0f, 0.0f})));
        QCOMPARE(batch.lastIndex_B[1].item<int64_t>(), int64_t(3));
        QCOMPARE(batch.responseTokens, int64_t(5));
        // Too long: the prompt's start and the response's end go.
        ResponseBatch cut = makeResponseBatch({{1, 2, 3, 4}}, {{5, 6, 7}}, 5, torch::kCPU);
        QVERIFY(torch::equal(cut.tokens_BT[0], torch::tensor({3, 4, 5, 6, 7}, torch::kLong)));
    }
};

QTEST_APPLESS_MAIN(TestAlignLosses)
#include "tst_align_losses.moc"
