// The real `strata-cli worker --stdio` over pipes, with real trainer processes: bad input of every
// kind gets an error and the worker carries on; runs stream their events and outlive the worker;
// pause, resume and stop reach the trainer; two subscribers see the same events; a trainer killed
// with SIGKILL is closed as interrupted and continues the same sequence when resumed; a trainer
// that cannot start is closed as failed with its error; text is generated from a run's checkpoint
// piece by piece, and a generation can be cancelled. Two resumes at once start one trainer; the
// ranks' settings are the run's whatever the worker inherited; and the worker keeps answering
// under a file-size limit, with thousands of runs under a low descriptor limit, and for run ids
// that could name other folders.
#include "core/proto/child_process.h"
#include "core/proto/event_tail.h"
#include "core/proto/generation_client.h"
#include "core/proto/line_reader.h"
#include "core/proto/worker_connection.h"
#include "tests/core/proto/tiny_workspace.h"
#include "tests/error_of.h"

#include <QtTest>

#include <algorithm>
#include <csignal>
#include <thread>

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

// A worker target whose strata-cli runs under the shell limits `ulimits` ("-f 1", "-n 64"), by
// way of a script in the workspace.
proto::WorkerTarget limitedTarget(const TinyWorkspace& workspace, const std::string& ulimits) {
    std::filesystem::path script = workspace.root / "limited-cli.sh";
    std::ofstream(script) << "#!/bin/sh\nulimit " << ulimits << " || exit 1\nexec '" << STRATA_CLI
                          << "' \"$@\"\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    proto::WorkerTarget target = workspace.target();
    target.cli = script.string();
    return target;
}

// The seqs of a run's events.jsonl, in file order.
std::vector<int64_t> seqsInLog(const std::filesystem::path& events) {
    std::ifstream in(events);
    std::vector<int64_t> seqs;
    std::string line;
    while (std::getline(in, line))
        seqs.push_back(proto::eventSeq(line));
    return seqs;
}

int countInLog(const std::filesystem::path& events, const std::string& type) {
    std::ifstream in(events);
    int count = 0;
    std::string line;
    while (std::getline(in, line))
        count += line.find("\"type\":\"" + type + "\"") != std::string::npos;
    return count;
}

// A raw pipe to a worker, for the lines a well-behaved client never sends.
class RawWorker {
public:
    explicit RawWorker(const TinyWorkspace& workspace) : RawWorker(workspace.target()) {}
    explicit RawWorker(const proto::WorkerTarget& target)
        : m_process(proto::workerCommand(target)), m_reader(m_process.outputFd()) {}
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

    // Starts a long run (its id in `run`) and kills its trainer with SIGKILL after the first
    // checkpoint; returns the seq of the run_finished the worker then appends, or 0 unless that
    // says "interrupted".
    int64_t startAndKill(proto::WorkerConnection& worker, std::string& run) {
        run = startRun(worker, m_workspace.spec(400, 10));
        std::vector<proto::WorkerMessage> before = collect(worker, run, 0, "checkpoint");
        const pid_t pid = m_workspace.trainerPid(run);
        if (pid <= 0 || before.empty()) return 0;  // kill(0) would hit this test's own group
        ::kill(pid, SIGKILL);
        std::vector<proto::WorkerMessage> end =
            collect(worker, run, before.back().seq, "run_finished");
        bool interrupted = !end.empty() && end.back().type == "run_finished" &&
                           end.back().dataJson.find("\"interrupted\"") != std::string::npos;
        return interrupted ? end.back().seq : 0;
    }

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
        // A NUL ends the path where the system reads it: "runs/\0" would be the runs folder,
        // here made to look like a run.
        std::filesystem::create_directories(m_workspace.root / "runs");
        std::ofstream(m_workspace.root / "runs" / "run.json") << "{}\n";
        expectError("{\"id\":61,\"request\":\"status\",\"run\":\"\\u0000\"}", "no run \"\\u0000\"");
        expectError("{\"id\":62,\"request\":\"subscribe\",\"run\":\"a\\nb\"}", "no run \"a\\nb\"");
        std::filesystem::remove(m_workspace.root / "runs" / "run.json");
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
        std::string run;
        const int64_t interruptedAt = startAndKill(worker, run);
        QVERIFY(interruptedAt > 0);

        proto::Request resume = request(RequestKind::Start);
        resume.spec.resumeRun = run;
        worker.call(resume);
        std::vector<proto::WorkerMessage> resumed =
            collect(worker, run, interruptedAt, "run_finished");
        QCOMPARE(resumed.front().type, std::string("run_started"));
        QVERIFY(resumed.front().dataJson.find("\"step\":0") == std::string::npos);
        QVERIFY(contiguous(seqsOf(resumed), interruptedAt + 1));
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

    // The worker reads a start request's config with the trainer's own reader: every bad value
    // is refused at once, each naming its key, and no run folder is made.
    void badConfigIsRefusedBeforeARunExists() {
        proto::WorkerConnection worker(m_workspace.target());
        proto::RunSpec spec = m_workspace.spec(5, 5);
        spec.configText.replace(spec.configText.find("d_model = 32"), 12, "d_model = -4");
        spec.overrides = {"train.micro_batch_size=0"};
        auto runFolders = [&] {
            std::filesystem::create_directories(m_workspace.root / "runs");
            auto folders = std::filesystem::directory_iterator(m_workspace.root / "runs");
            return std::distance(begin(folders), end(folders));
        };
        const auto before = runFolders();
        const QString error = errorOf([&] { startRun(worker, spec); });
        QVERIFY2(error.contains("start.spec.config:3: key 'model.d_model' must be between") &&
                     error.contains("--set key 'train.micro_batch_size' must be positive"),
                 qPrintable(error));
        QCOMPARE(runFolders(), before);
    }

    void trainerThatCannotStartIsFailedWithItsError() {
        proto::WorkerConnection worker(m_workspace.target());
        proto::RunSpec spec = m_workspace.spec(5, 5);
        spec.shards = "data/no-such-shards";
        std::string run = startRun(worker, spec);
        std::vector<proto::WorkerMessage> end = collect(worker, run, 0, "run_finished");
        QVERIFY(end.back().dataJson.find("\"failed\"") != std::string::npos);
        QVERIFY2(end.back().dataJson.find("no-such-shards") != std::string::npos,
                 end.back().dataJson.c_str());
    }

    void twoResumesAtOnceStartOneTrainer() {
        proto::WorkerConnection worker(m_workspace.target());
        std::string run;
        const int64_t interruptedAt = startAndKill(worker, run);
        QVERIFY(interruptedAt > 0);

        // Two workers asked at the same moment, then the first again on the same connection:
        // one trainer starts, the other requests are refused naming its process.
        proto::Request resume = request(RequestKind::Start);
        resume.spec.resumeRun = run;
        proto::WorkerConnection other(m_workspace.target());
        std::string errors[2];
        auto ask = [&](proto::WorkerConnection& connection, std::string& error) {
            try {
                connection.call(resume);
            } catch (const common::Error& refused) {
                error = refused.what();
            }
        };
        std::thread first([&] { ask(worker, errors[0]); });
        ask(other, errors[1]);
        first.join();
        QCOMPARE(int(errors[0].empty()) + int(errors[1].empty()), 1);
        const std::string& refused = errors[0].empty() ? errors[1] : errors[0];
        QVERIFY2(refused.find("is still running; only a run that has ended can be resumed") !=
                     std::string::npos,
                 refused.c_str());
        std::string again;
        ask(worker, again);
        QVERIFY2(again.find("is still running") != std::string::npos, again.c_str());

        std::vector<proto::WorkerMessage> resumed =
            collect(worker, run, interruptedAt, "run_finished");
        QVERIFY2(resumed.back().dataJson.find("\"completed\"") != std::string::npos,
                 resumed.back().dataJson.c_str());
        const std::filesystem::path events = m_workspace.runDir(run) / "events.jsonl";
        QCOMPARE(countInLog(events, "run_started"), 2);
        std::vector<int64_t> seqs = seqsInLog(events);
        QVERIFY(std::is_sorted(seqs.begin(), seqs.end()));
        QVERIFY(std::adjacent_find(seqs.begin(), seqs.end()) == seqs.end());  // each seq once
    }

    void theRunsSettingsReplaceWhatTheWorkerInherited() {
        // A worker started from a shell of another run's rank would otherwise hand these on.
        ::setenv("RANK", "7", 1);
        ::setenv("MASTER_ADDR", "192.0.2.1", 1);
        ::setenv("STRATA_HOST_RUN_DIR", "1", 1);
        proto::WorkerConnection worker(m_workspace.target());
        ::unsetenv("RANK");
        ::unsetenv("MASTER_ADDR");
        ::unsetenv("STRATA_HOST_RUN_DIR");
        proto::RunSpec spec = m_workspace.spec(4, 4);
        spec.numProcesses = 2;
        std::string run = startRun(worker, spec);
        std::vector<proto::WorkerMessage> end = collect(worker, run, 0, "run_finished");
        QVERIFY2(end.back().dataJson.find("\"completed\"") != std::string::npos,
                 end.back().dataJson.c_str());
    }

    void aFileSizeLimitDoesNotStopTheWorker() {
        std::string run;
        pid_t trainer = 0;
        {
            proto::WorkerConnection worker(m_workspace.target());
            run = startRun(worker, m_workspace.spec(400, 10));
            collect(worker, run, 0, "checkpoint");
            trainer = m_workspace.trainerPid(run);
        }  // this worker is gone before the trainer dies, so it does not close the run
        QVERIFY(trainer > 0);
        ::kill(trainer, SIGKILL);
        QVERIFY(waitFor([&] { return ::kill(trainer, 0) != 0; }));
        // Closing the run would grow its event log past the limit: the worker says so and goes
        // on answering, and a worker without the limit closes the run later.
        const std::filesystem::path events = m_workspace.runDir(run) / "events.jsonl";
        QVERIFY(std::filesystem::file_size(events) > 1024);
        RawWorker limited(limitedTarget(m_workspace, "-f 1"));
        QVERIFY(limited.next().kind == proto::MessageKind::Hello);
        limited.send("{\"id\":1,\"request\":\"hello\",\"protocol\":1}\n");
        QVERIFY(limited.next().kind == proto::MessageKind::Reply);
        limited.send("{\"id\":2,\"request\":\"subscribe\",\"run\":\"" + run +
                     "\",\"after_seq\":1000000}\n");
        bool notified = false, answered = false;
        for (int i = 0; i < 20 && !(notified && answered); ++i) {
            proto::WorkerMessage message = limited.next();
            if (message.kind == proto::MessageKind::Error && !message.id)
                notified = message.message.find("cannot record it") != std::string::npos &&
                           message.message.find("File too large") != std::string::npos;
            if (message.kind == proto::MessageKind::Reply && message.id == 3) answered = true;
            // Past the worker's liveness check, which must not end it either.
            if (message.kind == proto::MessageKind::Reply && message.id == 2) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                limited.send("{\"id\":3,\"request\":\"status\",\"run\":\"" + run + "\"}\n");
            }
        }
        QVERIFY(notified);
        QVERIFY(answered);
        QCOMPARE(countInLog(events, "run_finished"), 0);
        proto::WorkerConnection unlimited(m_workspace.target());
        QVERIFY(unlimited.call(request(RequestKind::Status, run)).find("\"interrupted\"") !=
                std::string::npos);
    }

    void thousandsOfRunsUnderALowDescriptorLimit() {
        TinyWorkspace many;
        constexpr int kRuns = 2000;
        for (int i = 0; i < kRuns; ++i) {
            std::filesystem::path dir = many.runDir("old-" + std::to_string(i));
            std::filesystem::create_directories(dir);
            std::ofstream(dir / "run.json")
                << "{\"id\":\"old-" << i << "\",\"stage\":\"pretrain\"}\n";
            std::ofstream(dir / "events.jsonl")
                << "{\"seq\":1,\"time\":1,\"rank\":0,\"type\":\"run_started\",\"data\":{\"step\":0,"
                   "\"max_steps\":5}}\n"
                << "{\"seq\":2,\"time\":2,\"rank\":0,\"type\":\"run_finished\",\"data\":{\"step\":"
                   "5,"
                   "\"status\":\"completed\",\"message\":\"\"}}\n";
        }
        proto::WorkerConnection worker(limitedTarget(many, "-n 64"));
        std::string runs = worker.call(request(RequestKind::ListRuns));
        size_t completed = 0;
        for (size_t at = 0; (at = runs.find("\"state\":\"completed\"", at)) != std::string::npos;
             ++at)
            ++completed;
        QCOMPARE(completed, size_t(kRuns));
        std::vector<proto::WorkerMessage> events =
            collect(worker, "old-1999", 0, "run_finished", 30);
        QCOMPARE(seqsOf(events), (std::vector<int64_t>{1, 2}));
    }

    void aRunsEndIsReadFromTheTailOfAHugeLog() {
        // A rank log of 64 GiB (sparse) ending in the error: only its tail is read.
        std::filesystem::path dir = m_workspace.runDir("huge-log");
        std::filesystem::create_directories(dir / "logs");
        std::ofstream(dir / "run.json") << "{\"id\":\"huge-log\",\"stage\":\"pretrain\"}\n";
        std::ofstream(dir / "process.json")
            << "{\"launched_at\":1,\"master\":\"127.0.0.1:1\",\"processes\":[{\"pid\":1,"
               "\"start_time\":123456789}]}\n";
        std::ofstream(dir / "events.jsonl")
            << "{\"seq\":1,\"time\":1,\"rank\":0,\"type\":\"run_started\",\"data\":{\"step\":0,"
               "\"max_steps\":5}}\n";
        const std::filesystem::path log = dir / "logs" / "rank-0.log";
        std::ofstream(log).close();
        std::filesystem::resize_file(log, uintmax_t(64) << 30);
        std::ofstream(log, std::ios::app) << "\nstrata-cli train: error: the disk went away\n";
        proto::WorkerConnection worker(m_workspace.target());
        std::string status = worker.call(request(RequestKind::Status, "huge-log"));
        QVERIFY2(status.find("\"state\":\"failed\"") != std::string::npos, status.c_str());
        QVERIFY2(status.find("the disk went away") != std::string::npos, status.c_str());
        std::filesystem::remove_all(dir);
    }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
