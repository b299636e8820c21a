// The host reads of one training step (tests/host_reads.h: `.item()`, data-dependent shapes),
// which on a GPU each stall the host until the device catches up, held to a written budget per
// stage, so that a new one fails here rather than slowing a GPU run unnoticed. A step's reads
// are those of a run of two steps less those of a run of one: what starting, evaluating and
// checkpointing read cancels out. Every step is two micro-batches; pretraining's is a MoE model.
#include "tests/core/align/tiny_alignment.h"
#include "tests/core/train/tiny_run.h"
#include "tests/host_reads.h"

#include "core/train/pretrainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace strata;
namespace fs = std::filesystem;

namespace {

using Counts = std::map<std::string, int>;

// The reads of `run(steps, folder)` for 2 steps less those for 1 step, by operator.
Counts readsOfOneStep(const std::function<void(int, const fs::path&)>& run, const fs::path& dir) {
    Counts counts[2];
    for (int steps : {1, 2}) {
        test::HostReadCounter counter;
        run(steps, dir / std::to_string(steps));
        counts[steps - 1] = counter.counts();
    }
    Counts step = counts[1];
    for (const auto& [name, count] : counts[0])
        step[name] -= count;
    return step;
}

int total(const Counts& counts) {
    int sum = 0;
    for (const auto& [name, count] : counts)
        sum += count;
    return sum;
}

// "aten::_local_scalar_dense 3, aten::nonzero 1"
QByteArray describe(const Counts& counts) {
    QByteArray text;
    for (const auto& [name, count] : counts)
        if (count != 0)
            text += (text.isEmpty() ? "" : ", ") + QByteArray::fromStdString(name) + ' ' +
                    QByteArray::number(count);
    return text.isEmpty() ? "none" : text;
}

}  // namespace

class TestHostReads : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        torch::set_num_threads(1);
        m_root = tiny::writeAlignmentSetup(m_dir, {{"sft.jsonl", tiny::echoTasks(60, 1, true)},
                                                   {"pairs.jsonl", tiny::shorterIsBetter(60)}});
        tiny::writeData(m_root / "pretraining");
    }

    // The counter itself: an item() and a nonzero() count; the reads inside the grouped
    // product's CPU kernel, whose CUDA kernel makes none, do not.
    void countsWhatItShould() {
        test::HostReadCounter counter;
        torch::Tensor ones = torch::ones({3});
        QCOMPARE(ones.sum().item<double>(), 3.0);
        QVERIFY(ones.nonzero().size(0) == 3);
        torch::Tensor grouped =
            at::_grouped_mm(torch::ones({4, 16}), torch::ones({2, 8, 16}).transpose(1, 2),
                            torch::tensor({1, 4}, torch::kInt32));
        QCOMPARE(grouped.size(0), 4);
        QCOMPARE(counter.counts(),
                 (Counts{{"aten::_local_scalar_dense", 1}, {"aten::nonzero", 1}}));
    }

    void pretrainingStep() {
        Counts reads = readsOfOneStep(
            [&](int steps, const fs::path& runDir) {
                RecordingSink sink;
                train::Pretrainer(tiny::config(m_root / "pretraining",
                                               {"train.max_steps=" + std::to_string(steps),
                                                "train.eval_every=0", "checkpoint.every=1000"}),
                                  runDir, sink, false)
                    .run();
            },
            m_root / "pretrain-runs");
        qInfo("one pretraining step: %s", describe(reads).constData());
        QVERIFY2(total(reads) <= kPretrainingBudget, describe(reads));
    }

    void alignmentStep_data() {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<QString>("train");
        QTest::addColumn<int>("budget");
        QTest::newRow("sft") << "sft"
                             << "sft.jsonl" << kSftBudget;
        QTest::newRow("dpo") << "dpo"
                             << "pairs.jsonl" << kDpoBudget;
    }
    void alignmentStep() {
        QFETCH(QString, stage);
        QFETCH(QString, train);
        QFETCH(int, budget);
        Counts reads = readsOfOneStep(
            [&](int steps, const fs::path& runDir) {
                tiny::runStage(
                    tiny::stageConfig(m_root, stage.toUtf8().constData(), train.toStdString(),
                                      {"train.max_steps=" + std::to_string(steps),
                                       "train.eval_every=0", "checkpoint.every=1000",
                                       "train.grad_accum_steps=2", "train.micro_batch_size=4"}),
                    runDir);
            },
            m_root / (stage.toStdString() + "-runs"));
        qInfo("one %s step: %s", qPrintable(stage), describe(reads).constData());
        QVERIFY2(total(reads) <= budget, describe(reads));
    }

private:
    // The budgets, none of them per micro-batch: every stage reads the gradient norm to clip by,
    // and SFT its loss once the step's micro-batches are summed. A new read must fit in them or
    // replace another.
    static constexpr int kPretrainingBudget = 1;
    static constexpr int kSftBudget = 2;
    static constexpr int kDpoBudget = 1;

    QTemporaryDir m_dir;
    fs::path m_root;
};

QTEST_GUILESS_MAIN(TestHostReads)
#include "tst_host_reads.moc"
