// The loop every stage shares acts on the agreed requests only: a stop that reaches this
// process just after the ranks agreed on the step's requests takes effect at the next
// agreement, so every rank stops after the same step, and a stop that comes after the last
// step's agreement leaves the run completed.
#include "core/train/training_loop.h"
#include "tests/core/run/recording_sink.h"

#include <QtTest>

using namespace strata;
using run::RunStatus;

namespace {

// Steps that only count, and an agreement that a stop signal lands just after (call
// `stopAfterAgreement`, from 1), as it may on one rank of several.
class CountingLoop : public train::TrainingLoop {
public:
    CountingLoop(const run::RunConfig& config, run::MetricsSink& sink, int stopAfterAgreement)
        : TrainingLoop(config, sink), m_stopAfterAgreement(stopAfterAgreement) {
        m_ownsRunFolder = false;
    }
    int agreements = 0;

protected:
    run::RunStarted startInfo() override { return {}; }
    run::StepMetrics trainStep() override {
        ++m_state.step;
        return {};
    }
    run::EvalMetrics evaluate() override { return {}; }
    std::filesystem::path writeCheckpoint() override {
        return std::filesystem::path("/nowhere/checkpoints") / std::to_string(m_state.step);
    }
    int agreedRequests(int requests) override {
        if (++agreements == m_stopAfterAgreement) requestStop();
        return requests;
    }

private:
    int m_stopAfterAgreement;
};

run::RunConfig loopConfig() {
    return {.train = {.maxSteps = 5, .evalEvery = 0}, .checkpoint = {.every = 100}};
}

}  // namespace

class TestTrainingLoop : public QObject {
    Q_OBJECT

private slots:
    void aStopAfterTheAgreementWaitsForTheNextOne() {
        RecordingSink sink;
        run::RunConfig config = loopConfig();
        // The signal lands after step 3's agreement: step 3 is taken, step 4's agreement stops.
        CountingLoop loop(config, sink, 3);
        QCOMPARE(loop.run(), RunStatus::Stopped);
        QCOMPARE(loop.step(), int64_t(3));
        QCOMPARE(loop.agreements, 4);
        QCOMPARE(sink.checkpoints.back().first, int64_t(3));
    }

    void aStopAfterTheLastAgreementLeavesTheRunCompleted() {
        RecordingSink sink;
        run::RunConfig config = loopConfig();
        CountingLoop loop(config, sink, 5);
        QCOMPARE(loop.run(), RunStatus::Completed);
        QCOMPARE(loop.step(), int64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestTrainingLoop)
#include "tst_training_loop.moc"
