// Expert parallelism with two ranks as two threads: a MoE layer's experts spread over the ranks
// give each rank the outputs and input gradients of the whole layer, the experts' gradients and
// the gradient norm of one process training on both ranks' tokens, and whole layers again for a
// checkpoint.
#include "core/common/error.h"
#include "core/distributed/expert_parallel.h"
#include "core/model/moe_experts.h"
#include "tests/core/distributed/two_ranks.h"

#include <torch/torch.h>
#include <QtTest>

#include <mutex>

using namespace strata;

namespace {

constexpr int64_t kExperts = 4, kModel = 8, kHidden = 12, kTopK = 2, kTokens = 5;

// The ranks' threads share torch's random generator: seeding and drawing go together.
std::mutex g_seeding;

struct Tokens {
    torch::Tensor x_ND, topIdx_NK, topWeight_NK, probe_ND;
};

// Rank r's tokens, the same in every thread. `toRankZero` sends every assignment to rank 0's
// experts, so rank 1's experts get no rows at all.
Tokens tokensOf(int rank, bool toRankZero) {
    std::lock_guard lock(g_seeding);
    torch::manual_seed(100 + rank);
    Tokens tokens;
    tokens.x_ND = torch::randn({kTokens, kModel});
    torch::Tensor scores_NE = torch::rand({kTokens, toRankZero ? kExperts / 2 : kExperts});
    tokens.topIdx_NK = std::get<1>(scores_NE.topk(kTopK, -1));
    tokens.topWeight_NK = torch::softmax(torch::randn({kTokens, kTopK}), -1);
    tokens.probe_ND = torch::randn({kTokens, kModel});  // the loss: sum(output * probe)
    return tokens;
}

model::MoeExperts seededExperts() {
    std::lock_guard lock(g_seeding);
    torch::manual_seed(7);
    return model::MoeExperts(kExperts, kModel, kHidden);
}

torch::Tensor lossOf(model::MoeExperts& experts, const Tokens& tokens, torch::Tensor& x_ND) {
    x_ND = tokens.x_ND.clone().requires_grad_(true);
    return (experts->forward(x_ND, tokens.topIdx_NK, tokens.topWeight_NK) * tokens.probe_ND).sum();
}

void requireClose(const torch::Tensor& actual, const torch::Tensor& expected, const char* what,
                  int rank) {
    if (!torch::allclose(actual, expected, 1e-5, 1e-6))
        common::fail("rank {}: {} differ from one process's by {}", rank, what,
                     (actual - expected).abs().max().item<double>());
}

// The ranks' errors, side by side, so a failure shows them.
QString bothRanks(const std::vector<std::string>& errors) {
    return QString::fromStdString("rank 0: " + errors[0] + " rank 1: " + errors[1]);
}

// Both ranks' tokens through the spread layer against one process holding all experts, whose
// loss is the mean of the ranks' losses (as data parallelism averages them).
void compareWithOneProcess(bool toRankZero) {
    std::vector<std::string> errors = testing::onTwoRanks([&](distributed::ProcessGroup& group) {
        const int rank = group.rank();
        model::MoeExperts whole = seededExperts();
        torch::Tensor ownInput, otherInput;
        torch::Tensor wholeLoss = (lossOf(whole, tokensOf(rank, toRankZero), ownInput) +
                                   lossOf(whole, tokensOf(1 - rank, toRankZero), otherInput)) /
                                  2.0;
        torch::Tensor wholeOutput =
            whole->forward(tokensOf(rank, toRankZero).x_ND, tokensOf(rank, toRankZero).topIdx_NK,
                           tokensOf(rank, toRankZero).topWeight_NK);
        wholeLoss.backward();
        const double wholeNorm = torch::nn::utils::clip_grad_norm_(whole->parameters(), 1e-3);

        model::MoeExperts spread = seededExperts();
        torch::optim::AdamW optimizer(spread->parameters());
        distributed::ExpertParallel parallel(group, *spread, optimizer);
        if (spread->gate_EFD.size(0) != kExperts / 2)
            common::fail("rank {} holds {} experts", rank, spread->gate_EFD.size(0));
        torch::Tensor input;
        const Tokens tokens = tokensOf(rank, toRankZero);
        torch::Tensor spreadOutput =
            spread->forward(tokens.x_ND, tokens.topIdx_NK, tokens.topWeight_NK);
        lossOf(spread, tokens, input).backward();
        parallel.averageGradients();
        const double norm = parallel.clipGradientNorm(spread->parameters(), 1e-3);

        requireClose(spreadOutput, wholeOutput, "the outputs", rank);
        // Each rank's loss is its own tokens', one process's is their mean.
        requireClose(input.grad(), 2 * ownInput.grad(), "the input gradients", rank);
        const std::vector<torch::Tensor> own = spread->parameters(), all = whole->parameters();
        for (size_t i = 0; i < own.size(); ++i)
            requireClose(own[i].grad(), all[i].grad().narrow(0, rank * 2, 2),
                         "the clipped expert gradients", rank);
        if (std::abs(norm - wholeNorm) > 1e-5 * wholeNorm)
            common::fail("rank {}: gradient norm {} against one process's {}", rank, norm,
                         wholeNorm);
    });
    QCOMPARE(bothRanks(errors), QString("rank 0:  rank 1: "));
}

}  // namespace

class TestExpertParallel : public QObject {
    Q_OBJECT

private slots:
    void spreadExpertsTrainAsOneProcess() { compareWithOneProcess(false); }

    void aRankWhoseExpertsGetNoRowsStillTakesPart() { compareWithOneProcess(true); }

    void checkpointsGatherTheWholeLayers() {
        std::vector<std::string> errors = testing::onTwoRanks([](distributed::ProcessGroup& group) {
            const int rank = group.rank();
            model::MoeExperts whole = seededExperts();
            torch::optim::AdamW wholeOptimizer(whole->parameters());
            torch::Tensor input;
            ((lossOf(whole, tokensOf(0, false), input) + lossOf(whole, tokensOf(1, false), input)) /
             2.0)
                .backward();
            wholeOptimizer.step();

            model::MoeExperts spread = seededExperts();
            torch::optim::AdamW optimizer(spread->parameters());
            distributed::ExpertParallel parallel(group, *spread, optimizer);
            lossOf(spread, tokensOf(rank, false), input).backward();
            parallel.averageGradients();
            optimizer.step();
            parallel.gatherWhole(optimizer);
            for (const auto& [spreadWeight, wholeWeight] :
                 {std::pair{spread->gate_EFD, whole->gate_EFD},
                  {spread->up_EFD, whole->up_EFD},
                  {spread->down_EDF, whole->down_EDF}}) {
                requireClose(spreadWeight, wholeWeight, "the gathered weights", rank);
                auto moments = [](torch::optim::AdamW& adam, const torch::Tensor& weight) {
                    return static_cast<torch::optim::AdamWParamState&>(
                               *adam.state().at(weight.unsafeGetTensorImpl()))
                        .exp_avg_sq();
                };
                requireClose(moments(optimizer, spreadWeight), moments(wholeOptimizer, wholeWeight),
                             "the gathered moments", rank);
            }
            parallel.keepOwn(optimizer);
            requireClose(spread->up_EFD, whole->up_EFD.narrow(0, rank * 2, 2), "the kept weights",
                         rank);
        });
        QCOMPARE(bothRanks(errors), QString("rank 0:  rank 1: "));
    }
};

QTEST_GUILESS_MAIN(TestExpertParallel)
#include "tst_expert_parallel.moc"
