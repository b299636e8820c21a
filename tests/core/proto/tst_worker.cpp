// The real `strata-cli worker --stdio` over pipes, with real trainer processes: bad input of every
// kind gets an error and the worker carries on; runs stream their events and outlive the worker;
// pause, resume and stop reach the trainer; two subscribers see the same events; a trainer killed
// with SIGKILL is closed as interrupted and continues the same sequence when resumed; a trainer
// that cannot start is closed as failed with its error; text is generated from a run's checkpoint
// piece by piece, and a generation can be cancelled.
#include "core/proto/child_process.h"
#include "core/proto/generation_client.h"
#include "core/proto/line_reader.h"
#include "core/proto/worker_connection.h"
#include "tests/core/proto/tiny_workspace.h"

#include <QtTest>

#include <csignal>

#include <poll.h>

using namespace strata;
using proto::RequestKind;

namespace {

proto::Request request(RequestKind kind, const std::string& run = {}) {
    proto::Request r;
    r.kind = kind;
    r.run = run;
    return r;
}

std::string startRun(proto::WorkerConnection& worker, const proto::RunSpec& spec) {
    proto::Request start = request(RequestKind::Start);
    start.spec = spec;
    std::string reply = worker.call(start);
    size_t at = reply.find("\"run\":\"") + 7;
    return reply.substr(at, reply.find('"', at) - at);
}

// Subscribes after `afterSeq` and collects the run's events until one of type `until` (and,
// with `count`, until that many events came).
std::vector<proto::WorkerMessage> collect(proto::WorkerConnection& worker, const std::string& run,
                                          int64_t afterSeq, const std::string& until,
                                          int seconds = 120) {
    proto::Request subscribe = request(RequestKind::Subscribe, run);
    subscribe.afterSeq = afterSeq;
    worker.call(subscribe);
    std::vector<proto::WorkerMessage> events;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        std::optional<proto::WorkerMessage> event = worker.nextEvent(std::chrono::milliseconds(50));
        if (!event) continue;
        events.push_back(*event);
        if (event->type == until) break;
    }
    return events;
}

std::vector<int64_t> seqsOf(const std::vector<proto::WorkerMessage>& events) {
    std::vector<int64_t> seqs;
    for (const proto::WorkerMessage& event : events)
        seqs.push_back(event.seq);
    return seqs;
}

int64_t stepOf(const proto::WorkerMessage& event) {
    size_t at = event.dataJson.find("\"step\":");
    return at == std::string::npos ? -1 : std::stoll(event.dataJson.substr(at + 7));
}

bool contiguous(const std::vector<int64_t>& seqs, int64_t first) {
    for (size_t i = 0; i < seqs.size(); ++i)
        if (seqs[i] != first + int64_t(i)) return false;
    return !seqs.empty();
}

// A raw pipe to a worker, for the lines a well-behaved client never sends.
class RawWorker {
public:
    explicit RawWorker(const TinyWorkspace& workspace)
        : m_process(proto::workerCommand(workspace.target())), m_reader(m_process.outputFd()) {}
    void send(const std::string& bytes) { QVERIFY(m_process.write(bytes)); }
    // The next message within 30 s.
    proto::WorkerMessage next() {
        while (m_lines.empty()) {
            pollfd input{m_reader.fd(), POLLIN, 0};
            if (::poll(&input, 1, 30000) <= 0) return {};
            m_reader.readSome(m_lines);
        }
        std::string line = m_lines.front().text;
        m_lines.erase(m_lines.begin());
        return proto::decodeWorkerMessage(line);
    }

private:
    proto::ChildProcess m_process;
    proto::LineReader m_reader;
    std::vector<proto::Line> m_lines;
};

}  // namespace

class TestWorker : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;

private slots:
    void badInputGetsAnErrorAndTheWorkerCarriesOn() {
        RawWorker worker(m_workspace);
        proto::WorkerMessage hello = worker.next();
        QVERIFY(hello.kind == proto::MessageKind::Hello);
        QVERIFY(hello.dataJson.find("\"devices\"") != std::string::npos);

        auto expectError = [&](const std::string& line, const char* text) {
            worker.send(line + "\n");
            proto::WorkerMessage answer = worker.next();
            QVERIFY2(answer.kind == proto::MessageKind::Error, line.c_str());
            QVERIFY2(answer.message.find(text) != std::string::npos, answer.message.c_str());
        };
        expectError("{\"id\":1,\"request\":\"status\"}", "send hello with the protocol version");
        expectError("{\"id\":2,\"request\":\"hello\",\"protocol\":99}",
                    "protocol version 99 is not spoken here");
        worker.send("{\"id\":3,\"request\":\"hello\",\"protocol\":1}\n");
        QVERIFY(worker.next().kind == proto::MessageKind::Reply);
        expectError("this is not json", "does not parse as JSON");
        expectError("{\"id\":4,\"request\":\"launch_missiles\"}", "unknown request");
        expectError(std::string(17 << 20, 'x'), "over the 16 MiB cap");
        proto::Request outside = request(RequestKind::Start);
        outside.id = 5;
        outside.spec = m_workspace.spec(5, 5);
        outside.spec.shards = "../../etc";
        expectError(proto::encodeRequest(outside), "is outside the workspace");
        outside.spec.shards = "data/shards";
        outside.spec.configText = "[model\n";
        expectError(proto::encodeRequest(outside), "start.spec.config:1:");
        outside.spec.configText = "data = 3\n";
        expectError(proto::encodeRequest(outside), "data must be a table");
        // A config of another stage would read paths this worker does not check.
        outside.spec.configText = "[train]\nstage = \"sft\"\n";
        expectError(proto::encodeRequest(outside),
                    "train.stage is \"sft\", but start.spec.stage is \"pretrain\"");
        // Every path of an alignment stage is checked, from the config or an override.
        outside.spec.stage = "dpo";
        outside.spec.configText =
            "[train]\nstage = \"dpo\"\n[init]\nmodel = \"runs/a\"\nreference = \"/tmp\"\n";
        expectError(proto::encodeRequest(outside), "init.reference: /tmp is outside the workspace");
        outside.spec.configText = "[train]\nstage = \"dpo\"\n[init]\nmodel = \"runs/a\"\n";
        outside.spec.overrides = {"data.train=\"../pairs.jsonl\""};
        expectError(proto::encodeRequest(outside),
                    "data.train: ../pairs.jsonl is outside the workspace");
        outside.spec.overrides.clear();
        outside.spec.stage = "pretrain";
        expectError("{\"id\":6,\"request\":\"subscribe\",\"run\":\"../x\"}", "no run \"../x\"");
        expectError("{\"id\":7,\"request\":\"pause\",\"run\":\"nope\"}", "no run \"nope\"");

        worker.send("{\"id\":8,\"request\":\"list_runs\"}\n");
        proto::WorkerMessage runs = worker.next();
        QVERIFY(runs.kind == proto::MessageKind::Reply);
        QCOMPARE(*runs.id, 8);
        QVERIFY(!std::filesystem::exists(m_workspace.root / "runs") ||
                std::filesystem::is_empty(m_workspace.root / "runs"));
    }

    void runsStreamAndOutliveTheWorker() {
        std::string run;
        int64_t seen = 0;
        {
            proto::WorkerConnection worker(m_workspace.target());
            run = startRun(worker, m_workspace.spec(30, 10));
            std::vector<proto::WorkerMessage> first = collect(worker, run, 0, "eval");
            QVERIFY(contiguous(seqsOf(first), 1));
            QCOMPARE(first.front().type, std::string("run_started"));
            seen = first.back().seq;
        }  // the worker exits here; the trainer must not notice
        proto::WorkerConnection later(m_workspace.target());
        QVERIFY(later.call(request(RequestKind::ListRuns)).find(run) != std::string::npos);
        std::vector<proto::WorkerMessage> rest = collect(later, run, seen, "run_finished");
        QVERIFY(contiguous(seqsOf(rest), seen + 1));
        QVERIFY(rest.back().dataJson.find("\"completed\"") != std::string::npos);
        QVERIFY(later.call(request(RequestKind::Status, run)).find("\"state\":\"completed\"") !=
                std::string::npos);
    }

    void generatesFromACheckpointPieceByPiece() {
        proto::WorkerConnection worker(m_workspace.target());
        std::string run = startRun(worker, m_workspace.spec(4, 4));
        QCOMPARE(collect(worker, run, 0, "run_finished").back().type, std::string("run_finished"));
        proto::GenerateSpec spec;
        spec.checkpoint = "runs/" + run + "/checkpoints/step-0000004";
        spec.prompts = {"the cat", ""};
        spec.sampling.temperature = 0;
        spec.sampling.maxNewTokens = 12;
        // Each prompt's text, and how many pieces and end messages it came in.
        auto generate = [&](std::vector<std::string>& texts, std::vector<int>& pieces,
                            std::vector<int>& done) {
            texts.assign(2, {});
            pieces.assign(2, 0);
            done.assign(2, 0);
            proto::generateText(worker, spec, [&](const proto::GeneratedPiece& piece) {
                texts[piece.prompt] += piece.text;
                pieces[piece.prompt] += !piece.done;
                done[piece.prompt] += piece.done;
            });
        };
        std::vector<std::string> first, second;
        std::vector<int> pieces, done;
        generate(first, pieces, done);
        QCOMPARE(done, (std::vector<int>{1, 1}));
        QVERIFY(pieces[0] > 1);  // streamed, not delivered at the end
        QVERIFY(!first[0].empty() && !first[1].empty());
        generate(second, pieces, done);
        QCOMPARE(second, first);  // greedy is deterministic

        // Cancelled after its first piece: the worker ends it and serves the next request.
        spec.sampling.maxNewTokens = 100000;
        int seen = 0;
        proto::generateText(
            worker, spec, [&](const proto::GeneratedPiece&) { ++seen; }, [&] { return seen == 0; });
        QCOMPARE(seen, 1);
        // The worker ended it: the third generation of this connection is no longer under way.
        proto::Request again = request(RequestKind::Cancel);
        again.generation = 3;
        QVERIFY_THROWS_EXCEPTION(common::Error, worker.call(again));
        QVERIFY(worker.call(request(RequestKind::ListRuns)).find(run) != std::string::npos);

        auto errorOf = [&](const std::string& checkpoint) {
            spec.checkpoint = checkpoint;
            try {
                proto::generateText(worker, spec, [](const proto::GeneratedPiece&) {});
            } catch (const common::Error& error) {
                return std::string(error.what());
            }
            return std::string();
        };
        QVERIFY(errorOf("../elsewhere")
                    .find("generate.checkpoint: ../elsewhere is outside the "
                          "workspace") != std::string::npos);
        std::string missing = errorOf("runs/" + run + "/checkpoints/step-0000099");
        QVERIFY2(missing.find("step-0000099: no such model folder") != std::string::npos,
                 missing.c_str());
    }

    void pauseResumeAndStopReachTheTrainer() {
        proto::WorkerConnection worker(m_workspace.target());
        std::string run = startRun(worker, m_workspace.spec(100000, 50));
        collect(worker, run, 0, "metrics");
        worker.call(request(RequestKind::Pause, run));
        std::vector<proto::WorkerMessage> paused = collect(worker, run, 0, "paused");
        QCOMPARE(paused.back().type, std::string("paused"));
        QVERIFY(waitFor([&] {
            return worker.call(request(RequestKind::Status, run)).find("\"paused\"") !=
                   std::string::npos;
        }));
        worker.call(request(RequestKind::Resume, run));
        QCOMPARE(collect(worker, run, paused.back().seq, "resumed").back().type,
                 std::string("resumed"));
        worker.call(request(RequestKind::Stop, run));
        std::vector<proto::WorkerMessage> end = collect(worker, run, 0, "run_finished");
        QVERIFY2(end.back().dataJson.find("\"stopped\"") != std::string::npos,
                 (end.back().type + end.back().dataJson).c_str());
        int64_t lastCheckpointStep = -1;
        for (const proto::WorkerMessage& event : end)
            if (event.type == "checkpoint") lastCheckpointStep = stepOf(event);
        QCOMPARE(lastCheckpointStep, stepOf(end.back()));
    }

    void twoSubscribersSeeEveryEvent() {
        proto::WorkerConnection first(m_workspace.target());
        proto::WorkerConnection second(m_workspace.target());
        std::string run = startRun(first, m_workspace.spec(20, 10));
        std::vector<int64_t> a = seqsOf(collect(first, run, 0, "run_finished"));
        std::vector<int64_t> b = seqsOf(collect(second, run, 0, "run_finished"));
        QVERIFY(contiguous(a, 1));
        QCOMPARE(a, b);
    }

    void killedTrainerIsInterruptedAndResumesTheSequence() {
        proto::WorkerConnection worker(m_workspace.target());
        std::string run = startRun(worker, m_workspace.spec(400, 10));
        std::vector<proto::WorkerMessage> before = collect(worker, run, 0, "checkpoint");
        pid_t pid = m_workspace.trainerPid(run);
        QVERIFY(pid > 0);
        ::kill(pid, SIGKILL);
        std::vector<proto::WorkerMessage> end =
            collect(worker, run, before.back().seq, "run_finished");
        QVERIFY2(end.back().dataJson.find("\"interrupted\"") != std::string::npos,
                 end.back().dataJson.c_str());

        proto::Request resume = request(RequestKind::Start);
        resume.spec.resumeRun = run;
        worker.call(resume);
        std::vector<proto::WorkerMessage> resumed =
            collect(worker, run, end.back().seq, "run_finished");
        QCOMPARE(resumed.front().type, std::string("run_started"));
        QVERIFY(resumed.front().dataJson.find("\"step\":0") == std::string::npos);
        QVERIFY(contiguous(seqsOf(resumed), end.back().seq + 1));
        QVERIFY(resumed.back().dataJson.find("\"completed\"") != std::string::npos);
    }

    void aRunOfTwoProcessesTrainsAsOne() {
        proto::WorkerConnection worker(m_workspace.target());
        proto::RunSpec spec = m_workspace.spec(5, 5);
        spec.numProcesses = 2;
        std::string run = startRun(worker, spec);
        std::vector<proto::WorkerMessage> end = collect(worker, run, 0, "run_finished");
        QVERIFY2(end.back().dataJson.find("\"completed\"") != std::string::npos,
                 end.back().dataJson.c_str());
        // Rank 0 writes the events; every rank logs its own progress.
        for (int rank = 0; rank < 2; ++rank) {
            std::ifstream log(m_workspace.runDir(run) / "logs" /
                              ("rank-" + std::to_string(rank) + ".log"));
            std::string text((std::istreambuf_iterator<char>(log)),
                             std::istreambuf_iterator<char>());
            QVERIFY2(text.find("run completed at step 5") != std::string::npos, text.c_str());
        }
    }

    void trainerThatCannotStartIsFailedWithItsError() {
        proto::WorkerConnection worker(m_workspace.target());
        proto::RunSpec spec = m_workspace.spec(5, 5);
        spec.configText.replace(spec.configText.find("d_model = 32"), 12, "d_model = -4");
        std::string run = startRun(worker, spec);
        std::vector<proto::WorkerMessage> end = collect(worker, run, 0, "run_finished");
        QVERIFY(end.back().dataJson.find("\"failed\"") != std::string::npos);
        QVERIFY2(end.back().dataJson.find("d_model") != std::string::npos,
                 end.back().dataJson.c_str());
    }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
