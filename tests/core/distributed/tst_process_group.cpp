// core/distributed's pieces with two ranks as two threads of this process, on Gloo: the rendezvous
// and collectives, the run agreement, and ZeRO-1's ownership and gathering of optimizer state.
#include "core/common/error.h"
#include "core/distributed/optimizer_shards.h"
#include "core/distributed/process_group.h"
#include "core/distributed/run_agreement.h"
#include "tests/core/distributed/two_ranks.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata;

using testing::onTwoRanks;

class TestProcessGroup : public QObject {
    Q_OBJECT

private slots:
    void collectivesCombineBothRanks() {
        std::vector<std::string> errors = onTwoRanks([](distributed::ProcessGroup& group) {
            torch::Tensor sum = torch::full({3}, double(group.rank() + 1));
            group.allReduceSum(sum, "a sum");
            torch::Tensor max = torch::tensor({double(group.rank()), 5.0 - group.rank()});
            group.allReduceMax(max, "a max");
            torch::Tensor shared = torch::full({2}, double(group.rank() * 10 + 7));
            group.broadcast(shared, 1, "a broadcast");
            torch::Tensor message = torch::arange(4, torch::kFloat32) * (group.rank() == 0 ? 1 : 0);
            if (group.rank() == 0) group.send(message, 1, "a message");
            if (group.rank() == 1) group.receive(message, 0, "a message");
            torch::Tensor gathered =
                group.allGather(torch::full({1, 2}, double(group.rank())), "a gather");
            // Rank 0 sends one row to itself and two to rank 1; rank 1 sends nothing to rank 0.
            torch::Tensor rows = torch::arange(3, torch::kFloat32).unsqueeze(1) + 10 * group.rank();
            std::vector<int64_t> sent =
                group.isMain() ? std::vector<int64_t>{1, 2} : std::vector<int64_t>{0, 3};
            std::vector<int64_t> received =
                group.isMain() ? std::vector<int64_t>{1, 0} : std::vector<int64_t>{2, 3};
            torch::Tensor arrived = torch::empty({group.isMain() ? 1 : 5, 1});
            group.allToAll(arrived, rows, received, sent, "an all-to-all");
            torch::Tensor expectedArrived =
                group.isMain() ? torch::tensor({{0.0}})
                               : torch::tensor({{1.0}, {2.0}, {10.0}, {11.0}, {12.0}});
            std::vector<std::string> texts =
                group.allGatherText("name", group.isMain() ? "a" : "b");
            if (!torch::equal(sum, torch::full({3}, 3.0)) ||
                !torch::equal(max, torch::tensor({1.0, 5.0})) ||
                !torch::equal(shared, torch::full({2}, 17.0)) ||
                !torch::equal(message, torch::arange(4, torch::kFloat32)) ||
                !torch::equal(gathered,
                              torch::tensor({{0.0, 0.0}, {1.0, 1.0}}).to(torch::kFloat32)) ||
                !torch::equal(arrived, expectedArrived.to(torch::kFloat32)) ||
                texts != std::vector<std::string>{"a", "b"})
                common::fail("rank {}: a collective gave the wrong result", group.rank());
        });
        QCOMPARE(errors, (std::vector<std::string>{"", ""}));
    }

    void differentRunsFailEveryRankAlike() {
        std::vector<std::string> same = onTwoRanks([](distributed::ProcessGroup& group) {
            distributed::requireSameRun(group, "[train]\nseed = 1\n");
        });
        QCOMPARE(same, (std::vector<std::string>{"", ""}));
        std::vector<std::string> errors = onTwoRanks([](distributed::ProcessGroup& group) {
            distributed::requireSameRun(
                group, group.isMain() ? "[train]\nseed = 1\n" : "[train]\nseed = 2\n");
        });
        const std::string expected =
            "rank 1 was started with another run than rank 0: line 2 of its resolved config reads "
            "\"seed = 2\", rank 0's reads \"seed = 1\"";
        QCOMPARE(errors, (std::vector<std::string>{expected, expected}));
    }

    void textsLeftForRankZeroArriveInOrderOnce() {
        std::vector<std::vector<std::string>> taken(2);
        std::vector<std::string> errors = onTwoRanks([&](distributed::ProcessGroup& group) {
            auto barrier = [&](const char* what) {
                torch::Tensor flag = torch::zeros({1});
                group.allReduceSum(flag, what);
            };
            if (!group.isMain()) {
                group.leaveForMain("first");
                group.leaveForMain("second\twith a tab");
            }
            barrier("leaving texts");
            if (group.isMain()) {
                for (const auto& left : group.takeLeftTexts())
                    taken[0].push_back(std::to_string(left.rank) + ":" + left.text);
            }
            barrier("taking texts");
            if (!group.isMain()) group.leaveForMain("third");
            barrier("leaving more");
            if (group.isMain())
                for (const auto& left : group.takeLeftTexts())
                    taken[1].push_back(std::to_string(left.rank) + ":" + left.text);
        });
        QCOMPARE(errors, (std::vector<std::string>{"", ""}));
        QCOMPARE(taken[0], (std::vector<std::string>{"1:first", "1:second\twith a tab"}));
        QCOMPARE(taken[1], (std::vector<std::string>{"1:third"}));
    }

    void zeroOneSplitsTheStateAndGathersItOnEveryRank() {
        std::vector<std::string> errors = onTwoRanks([](distributed::ProcessGroup& group) {
            // Not from the random generator, which the two threads share.
            auto initial = [](std::vector<int64_t> shape) {
                int64_t count = 1;
                for (int64_t size : shape)
                    count *= size;
                return torch::linspace(-1, 1, count).reshape(shape);
            };
            const std::vector<std::vector<int64_t>> shapes{{8, 4}, {4}, {6, 4}};
            std::vector<torch::Tensor> parameters;
            for (const auto& shape : shapes)
                parameters.push_back(initial(shape).requires_grad_());
            torch::optim::AdamW optimizer(parameters, torch::optim::AdamWOptions(0.1));
            distributed::OptimizerShards shards(group, parameters);
            // Largest first to the emptier rank: 32 elements to rank 0, then 24 and 4 to rank 1.
            if (shards.owner(0) != 0 || shards.owner(1) != 1 || shards.owner(2) != 1)
                common::fail("rank {}: unbalanced owners", group.rank());
            for (torch::Tensor& parameter : parameters)
                parameter.mutable_grad() = torch::ones_like(parameter);
            shards.dropUnownedGradients();
            optimizer.step();
            shards.broadcastUpdatedParameters();
            if (optimizer.state().size() != (group.isMain() ? 1u : 2u))
                common::fail("rank {}: {} states", group.rank(), optimizer.state().size());
            // Every parameter moved by AdamW's first step, lr * sign(gradient), on both ranks.
            for (size_t i = 0; i < shapes.size(); ++i)
                if (!torch::allclose(parameters[i].detach(),
                                     initial(shapes[i]) * (1 - 0.1 * 0.01) - 0.1, 1e-5, 1e-6))
                    common::fail("rank {}: parameter {} was not updated", group.rank(), i);
            shards.gatherState(optimizer);
            if (optimizer.state().size() != 3u)
                common::fail("rank {}: {} states after gathering", group.rank(),
                             optimizer.state().size());
            // Every rank now holds each moment as its owner had it: |first gradient| * (1 - b).
            for (const torch::Tensor& parameter : parameters) {
                auto& adam = static_cast<torch::optim::AdamWParamState&>(
                    *optimizer.state().at(parameter.unsafeGetTensorImpl()));
                if (adam.step() != 1 ||
                    !torch::allclose(adam.exp_avg(), torch::full_like(parameter, 0.1)))
                    common::fail("rank {}: a gathered moment differs from its owner's",
                                 group.rank());
            }
            shards.dropUnownedState(optimizer);
            if (optimizer.state().size() != (group.isMain() ? 1u : 2u))
                common::fail("rank {}: {} states after dropping", group.rank(),
                             optimizer.state().size());
        });
        QCOMPARE(errors, (std::vector<std::string>{"", ""}));
    }

    void anUnreachableMasterIsATimeout() {
        run::LaunchEnvironment launch;
        launch.rank = 1;
        launch.worldSize = 2;
        launch.masterPort = 9;
        try {
            distributed::ProcessGroup::join(launch, torch::kCPU, std::chrono::seconds(1));
            QFAIL("joined a group without its master");
        } catch (const common::Error& error) {
            QVERIFY2(
                std::string(error.what())
                    .starts_with(
                        "rank 1: the rendezvous at 127.0.0.1:9 (MASTER_ADDR:MASTER_PORT) failed "
                        "within 1 s: "),
                error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestProcessGroup)
#include "tst_process_group.moc"
