// The request decoder is the worker's untrusted edge: every malformed request gets a one-line
// error that names the field (and echoes the id when the line had one), and well-formed requests
// survive an encode/decode round trip. The worker's own messages decode on the client side.
#include "core/proto/protocol.h"

#include <QtTest>

using namespace strata;
using proto::RequestKind;

namespace {

// The decoder's error for `line`, with the id it could recover (-1 when none).
std::pair<QString, int64_t> rejection(const std::string& line) {
    try {
        proto::decodeRequest(line);
    } catch (const proto::ProtocolError& error) {
        return {QString::fromStdString(error.what()), error.requestId().value_or(-1)};
    }
    return {"(accepted)", -1};
}

}  // namespace

class TestProtocol : public QObject {
    Q_OBJECT

private slots:
    void everyRequestRoundTrips() {
        proto::Request start;
        start.id = 7;
        start.kind = RequestKind::Start;
        start.spec.name = "tiny";
        start.spec.configText = "[model]\nd_model = 32\n\"quoted\" = \"\\n\"\n";
        start.spec.shards = "data/shards";
        start.spec.tokenizer = "data/tokenizer.json";
        start.spec.numProcesses = 2;
        start.spec.numNodes = 3;
        start.spec.nodeRank = 2;
        start.spec.master = "10.0.0.1:29500";
        start.spec.overrides = {"optim.lr=0.5", "train.max_steps=9"};
        proto::Request decoded = proto::decodeRequest(proto::encodeRequest(start));
        QCOMPARE(decoded.id, 7);
        QVERIFY(decoded.kind == RequestKind::Start);
        QCOMPARE(decoded.spec.configText, start.spec.configText);
        QCOMPARE(decoded.spec.shards, start.spec.shards);
        QCOMPARE(decoded.spec.tokenizer, start.spec.tokenizer);
        QCOMPARE(decoded.spec.numProcesses, 2);
        QCOMPARE(decoded.spec.numNodes, 3);
        QCOMPARE(decoded.spec.nodeRank, 2);
        QCOMPARE(decoded.spec.master, start.spec.master);
        QCOMPARE(decoded.spec.overrides, start.spec.overrides);
        QCOMPARE(decoded.spec.stage, std::string("pretrain"));
        // Node 0 of a run across hosts is told the address its rendezvous listens on.
        start.spec.nodeRank = 0;
        start.spec.master.clear();
        start.spec.masterAddress = "10.0.0.1";
        QCOMPARE(proto::decodeRequest(proto::encodeRequest(start)).spec.masterAddress,
                 start.spec.masterAddress);
        // A Slurm job of three nodes, with the user's sbatch options.
        start.spec.masterAddress.clear();
        start.spec.scheduler = "slurm";
        start.spec.sbatchOptions = {"--partition=gpu", "--time=1:00:00"};
        decoded = proto::decodeRequest(proto::encodeRequest(start));
        QCOMPARE(decoded.spec.scheduler, std::string("slurm"));
        QCOMPARE(decoded.spec.sbatchOptions, start.spec.sbatchOptions);
        QCOMPARE(decoded.spec.numNodes, 3);

        proto::Request subscribe;
        subscribe.id = 8;
        subscribe.kind = RequestKind::Subscribe;
        subscribe.run = "tiny-1";
        subscribe.afterSeq = 41;
        decoded = proto::decodeRequest(proto::encodeRequest(subscribe));
        QCOMPARE(decoded.run, std::string("tiny-1"));
        QCOMPARE(decoded.afterSeq, 41);

        for (RequestKind kind : {RequestKind::Pause, RequestKind::Resume, RequestKind::Stop,
                                 RequestKind::Status, RequestKind::Unsubscribe}) {
            proto::Request request;
            request.id = 9;
            request.kind = kind;
            request.run = "r";
            QVERIFY(proto::decodeRequest(proto::encodeRequest(request)).kind == kind);
        }
        proto::Request generate;
        generate.id = 10;
        generate.kind = RequestKind::Generate;
        generate.generate.checkpoint = "runs/a/checkpoints/step-0000010";
        generate.generate.prompts = {"Once", "", "两行\n"};
        generate.generate.sampling.temperature = 0;
        generate.generate.sampling.topP = 0.5;
        generate.generate.sampling.seed = 3;
        generate.generate.chat = true;
        generate.generate.history = {{"system", "Be brief."}, {"user", "Hi"}, {"assistant", "两"}};
        decoded = proto::decodeRequest(proto::encodeRequest(generate));
        QVERIFY(decoded.generate.chat);
        QCOMPARE(decoded.generate.history, generate.generate.history);
        QCOMPARE(decoded.generate.checkpoint, generate.generate.checkpoint);
        QCOMPARE(decoded.generate.prompts, generate.generate.prompts);
        QCOMPARE(decoded.generate.sampling.temperature, 0.0);
        QCOMPARE(decoded.generate.sampling.topP, 0.5);
        QCOMPARE(decoded.generate.sampling.topK, 50);
        QCOMPARE(decoded.generate.sampling.seed, uint64_t(3));
        // Sampling settings left out keep their defaults.
        decoded = proto::decodeRequest(
            "{\"id\": 1, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": [\"\"]}");
        QCOMPARE(decoded.generate.sampling.maxNewTokens, 64);
        QCOMPARE(decoded.generate.sampling.temperature, 0.8);
        QVERIFY(!decoded.generate.chat);

        proto::Request cancel;
        cancel.kind = RequestKind::Cancel;
        cancel.generation = 4;
        QCOMPARE(proto::decodeRequest(proto::encodeRequest(cancel)).generation, 4);

        proto::Request hello;
        hello.kind = RequestKind::Hello;
        hello.protocol = proto::kProtocolVersion;
        QCOMPARE(proto::decodeRequest(proto::encodeRequest(hello)).protocol,
                 proto::kProtocolVersion);
    }

    void labelRequestsRoundTrip() {
        proto::Request submit;
        submit.id = 11;
        submit.kind = RequestKind::LabelSubmit;
        submit.label.submission = {12, "ana", store::Choice::Tie, "both \"fine\"\n", true, "x-1"};
        proto::Request decoded = proto::decodeRequest(proto::encodeRequest(submit));
        const store::LabelSubmission& got = decoded.label.submission;
        QVERIFY(decoded.kind == RequestKind::LabelSubmit);
        QCOMPARE(got.pairId, int64_t(12));
        QCOMPARE(got.annotator, std::string("ana"));
        QVERIFY(got.choice == store::Choice::Tie);
        QCOMPARE(got.rationale, submit.label.submission.rationale);
        QVERIFY(got.swapped);
        QCOMPARE(got.id, std::string("x-1"));

        proto::Request claim;
        claim.kind = RequestKind::LabelClaim;
        claim.label.leastSureOf = "runs/rm/step-4";
        claim.label.count = 20;
        decoded = proto::decodeRequest(proto::encodeRequest(claim));
        QCOMPARE(decoded.label.count, 20);
        QCOMPARE(decoded.label.leastSureOf, claim.label.leastSureOf);
        QCOMPARE(decoded.label.annotator, std::string());  // the worker's login

        proto::Request import;
        import.kind = RequestKind::LabelImport;
        import.label.annotator = "bo";
        import.label.pairs = {{0, "p", "a", "b", "file:x:1:a", "file:x:1:b"}, { 0, "q", "c", "d" }};
        decoded = proto::decodeRequest(proto::encodeRequest(import));
        QCOMPARE(decoded.label.pairs.size(), size_t(2));
        QCOMPARE(decoded.label.pairs[0].sourceB, std::string("file:x:1:b"));
        QCOMPARE(decoded.label.pairs[1].responseB, std::string("d"));

        proto::Request exportPage;
        exportPage.kind = RequestKind::LabelExport;
        exportPage.label.after = {7, "cy"};
        exportPage.label.limit = 50;
        decoded = proto::decodeRequest(proto::encodeRequest(exportPage));
        QCOMPARE(decoded.label.after.pairId, int64_t(7));
        QCOMPARE(decoded.label.after.annotator, std::string("cy"));
        QCOMPARE(decoded.label.limit, int64_t(50));

        proto::Request settings;
        settings.kind = RequestKind::LabelSettings;
        QVERIFY(!proto::decodeRequest(proto::encodeRequest(settings)).label.settings);
        settings.label.settings = store::QueueSettings{"ana", 3, 900, "# Be kind"};
        decoded = proto::decodeRequest(proto::encodeRequest(settings));
        QVERIFY(decoded.label.settings);
        QCOMPARE(decoded.label.settings->owner, std::string("ana"));
        QCOMPARE(decoded.label.settings->labelsPerPair, 3);
        QCOMPARE(decoded.label.settings->claimSeconds, 900.0);
        QCOMPARE(decoded.label.settings->guidelines, std::string("# Be kind"));

        for (RequestKind kind : {RequestKind::LabelRelease, RequestKind::LabelStats}) {
            proto::Request request;
            request.kind = kind;
            request.label.pair = 3;
            QVERIFY(proto::decodeRequest(proto::encodeRequest(request)).kind == kind);
        }
    }

    void historyRequestsRoundTrip() {
        proto::Request runs;
        runs.kind = RequestKind::HistoryRuns;
        runs.runFilter.nameContains = "alpha";
        runs.runFilter.state = store::RunState::Completed;
        runs.runFilter.tag = "sweep";
        runs.runFilter.sortBy = store::RunSortKey::LastLoss;
        runs.runFilter.descending = false;
        proto::Request decoded = proto::decodeRequest(proto::encodeRequest(runs));
        QCOMPARE(decoded.runFilter.nameContains, std::string("alpha"));
        QVERIFY(decoded.runFilter.state == store::RunState::Completed);
        QCOMPARE(*decoded.runFilter.tag, std::string("sweep"));
        QVERIFY(!decoded.runFilter.stage);
        QVERIFY(decoded.runFilter.sortBy == store::RunSortKey::LastLoss);
        QVERIFY(!decoded.runFilter.descending);

        proto::Request series;
        series.kind = RequestKind::HistorySeries;
        series.history.run = 7;
        series.history.key = "val.loss";
        series.history.fromStep = -5;
        series.history.count = 640;
        decoded = proto::decodeRequest(proto::encodeRequest(series));
        QVERIFY(decoded.kind == RequestKind::HistorySeries);
        QCOMPARE(decoded.history.run, int64_t(7));
        QCOMPARE(decoded.history.key, std::string("val.loss"));
        QCOMPARE(decoded.history.fromStep, int64_t(-5));
        QCOMPARE(decoded.history.toStep, INT64_MAX);
        QCOMPARE(decoded.history.count, 640);

        proto::Request rows;
        rows.kind = RequestKind::HistoryMetricRows;
        rows.history.run = 2;
        rows.history.key = "loss";
        rows.history.count = 10;
        decoded = proto::decodeRequest(proto::encodeRequest(rows));
        QCOMPARE(decoded.history.afterStep, INT64_MIN);
        QCOMPARE(decoded.history.count, 10);

        proto::Request details;
        details.kind = RequestKind::HistoryDetails;
        details.history.run = 3;
        details.history.details = {"lr sweep, best", {}, "line one\nline two"};
        decoded = proto::decodeRequest(proto::encodeRequest(details));
        QCOMPARE(decoded.history.details.title, std::string("lr sweep, best"));
        QVERIFY(decoded.history.details.tags.empty());  // no tags is sent, and clears them
        QCOMPARE(decoded.history.details.notes, std::string("line one\nline two"));

        proto::Request comment;
        comment.kind = RequestKind::HistoryComment;
        comment.history.run = 3;
        comment.history.body = "diverges at 2k";
        decoded = proto::decodeRequest(proto::encodeRequest(comment));
        QVERIFY(decoded.history.author.empty());
        QCOMPARE(decoded.history.body, std::string("diverges at 2k"));

        proto::Request diff;
        diff.kind = RequestKind::HistoryDiff;
        diff.history.run = 1;
        diff.history.other = 2;
        diff.history.allKeys = true;
        decoded = proto::decodeRequest(proto::encodeRequest(diff));
        QCOMPARE(decoded.history.other, int64_t(2));
        QVERIFY(decoded.history.allKeys);

        for (RequestKind kind : {RequestKind::HistoryRun, RequestKind::HistoryMetricKeys,
                                 RequestKind::HistoryCheckpoints, RequestKind::HistoryLineage,
                                 RequestKind::HistoryComments}) {
            proto::Request request;
            request.kind = kind;
            request.history.run = 9;
            decoded = proto::decodeRequest(proto::encodeRequest(request));
            QVERIFY(decoded.kind == kind);
            QCOMPARE(decoded.history.run, int64_t(9));
        }
    }

    void workspaceRequestsRoundTrip() {
        proto::Request write;
        write.kind = RequestKind::FilesWrite;
        write.files.path = "configs/clean.toml";
        write.files.text = "[words]\nmin = \"3\"\n";
        write.files.replace = false;
        proto::Request decoded = proto::decodeRequest(proto::encodeRequest(write));
        QVERIFY(decoded.kind == RequestKind::FilesWrite);
        QCOMPARE(decoded.files.path, write.files.path);
        QCOMPARE(decoded.files.text, write.files.text);
        QVERIFY(!decoded.files.replace);

        proto::Request read;
        read.kind = RequestKind::FilesRead;
        read.files.path = "datasets/corpus/funnel.json";
        read.files.limit = 4096;
        decoded = proto::decodeRequest(proto::encodeRequest(read));
        QCOMPARE(decoded.files.path, read.files.path);
        QCOMPARE(decoded.files.limit, int64_t(4096));

        proto::Request preview;
        preview.kind = RequestKind::CleanPreview;
        preview.files.config = "[words]\nmin = 3\n";
        preview.files.sources = {"raw/a.txt", "raw/more"};
        decoded = proto::decodeRequest(proto::encodeRequest(preview));
        QCOMPARE(decoded.files.config, preview.files.config);
        QCOMPARE(decoded.files.sources, preview.files.sources);

        proto::Request start;
        start.kind = RequestKind::JobStart;
        start.job.spec.kind = proto::JobSpec::Kind::TokenizerTrain;
        start.job.spec.inputs = {"datasets/corpus/clean.jsonl.zst"};
        start.job.spec.output = "tokenizers/t/tokenizer.json";
        start.job.spec.vocabSize = 4096;
        decoded = proto::decodeRequest(proto::encodeRequest(start));
        QVERIFY(decoded.job.spec.kind == proto::JobSpec::Kind::TokenizerTrain);
        QCOMPARE(decoded.job.spec.inputs, start.job.spec.inputs);
        QCOMPARE(decoded.job.spec.output, start.job.spec.output);
        QCOMPARE(decoded.job.spec.vocabSize, 4096);

        for (RequestKind kind : {RequestKind::HistoryDatasets, RequestKind::HistoryTokenizers,
                                 RequestKind::HistoryCheckpointsByRun}) {
            proto::Request request;
            request.kind = kind;
            QVERIFY(proto::decodeRequest(proto::encodeRequest(request)).kind == kind);
        }

        proto::Request record;
        record.kind = RequestKind::HistoryRecordShards;
        record.files.path = "datasets/web/shards";
        decoded = proto::decodeRequest(proto::encodeRequest(record));
        QVERIFY(decoded.kind == RequestKind::HistoryRecordShards);
        QCOMPARE(decoded.files.path, record.files.path);

        proto::Request output;
        output.kind = RequestKind::JobOutput;
        output.job.job = "clean-20261207-101500";
        output.job.after = 812;
        decoded = proto::decodeRequest(proto::encodeRequest(output));
        QCOMPARE(decoded.job.job, output.job.job);
        QCOMPARE(decoded.job.after, int64_t(812));
    }

    void malformedRequestsAreNamed_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("id");
        QTest::newRow("not json") << "{\"id\": 1, "
                                  << "does not parse as JSON" << -1;
        QTest::newRow("not an object") << "[1, 2]"
                                       << "not a JSON object" << -1;
        QTest::newRow("no id") << "{\"request\": \"status\"}"
                               << "integer \"id\"" << -1;
        QTest::newRow("no request") << "{\"id\": 3}"
                                    << "a \"request\" string" << 3;
        QTest::newRow("unknown request") << "{\"id\": 4, \"request\": \"explode\"}"
                                         << "unknown request \"explode\"" << 4;
        QTest::newRow("unknown field") << "{\"id\": 5, \"request\": \"status\", \"rn\": \"x\"}"
                                       << "status: unknown field \"rn\"" << 5;
        QTest::newRow("missing run") << "{\"id\": 6, \"request\": \"pause\"}"
                                     << "pause: \"run\" is required" << 6;
        QTest::newRow("mistyped seq")
            << "{\"id\": 7, \"request\": \"subscribe\", \"run\": \"r\", \"after_seq\": \"x\"}"
            << "\"after_seq\" must be an integer" << 7;
        QTest::newRow("negative seq")
            << "{\"id\": 8, \"request\": \"subscribe\", \"run\": \"r\", \"after_seq\": -2}"
            << "must not be negative" << 8;
        QTest::newRow("spec not object") << "{\"id\": 9, \"request\": \"start\", \"spec\": 3}"
                                         << "\"spec\" must be an object" << 9;
        QTest::newRow("spec neither") << "{\"id\": 10, \"request\": \"start\", \"spec\": {}}"
                                      << "either \"config\" (a new run) or \"resume_run\"" << 10;
        QTest::newRow("spec typo") << "{\"id\": 11, \"request\": \"start\", \"spec\": {\"config\": "
                                      "\"\", \"shard\": \"x\"}}"
                                   << "start.spec: unknown field \"shard\"" << 11;
        QTest::newRow("nproc")
            << "{\"id\": 12, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nproc\": 0}}"
            << "nproc must be 1 to 1024" << 12;
        QTest::newRow("node rank")
            << "{\"id\": 40, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, "
               "\"node_rank\": 2, \"master\": \"h:1\"}}"
            << "start.spec: node_rank must be 0 to 1 (nnodes 2), not 2" << 40;
        QTest::newRow("node without master")
            << "{\"id\": 41, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, "
               "\"node_rank\": 1}}"
            << "start.spec: node 1 of 2 needs \"master\": HOST:PORT of node 0's rendezvous" << 41;
        QTest::newRow("master of node 0") << "{\"id\": 42, \"request\": \"start\", \"spec\": "
                                             "{\"config\": \"a=1\", \"nnodes\": 2, "
                                             "\"master\": \"h:1\"}}"
                                          << "\"master\" is for nodes 1 and on" << 42;
        QTest::newRow("master not host:port")
            << "{\"id\": 43, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, "
               "\"node_rank\": 1, \"master\": \"h:99999\"}}"
            << "start.spec: master \"h:99999\" is not HOST:PORT" << 43;
        QTest::newRow("master address of a later node")
            << "{\"id\": 45, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, \"node_rank\": 1, \"master\": \"h:1\", \"master_address\": \"10.0.0.1\"}}"
            << "give node 0 \"master_address\", the others \"master\"" << 45;
        QTest::newRow("master address of node 1")
            << "{\"id\": 48, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, \"node_rank\": 1, \"master_address\": \"10.0.0.1\"}}"
            << "\"master_address\" is for node 0 of a run across several hosts" << 48;
        QTest::newRow("unknown scheduler")
            << "{\"id\": 49, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", "
               "\"scheduler\": \"pbs\"}}"
            << "start.spec: scheduler \"pbs\" is not one this worker knows (slurm)" << 49;
        QTest::newRow("sbatch without slurm")
            << "{\"id\": 50, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", "
               "\"sbatch\": [\"--partition=gpu\"]}}"
            << "start.spec: \"sbatch\" options need \"scheduler\": \"slurm\"" << 50;
        QTest::newRow("sbatch option not one")
            << "{\"id\": 51, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", "
               "\"scheduler\": \"slurm\", \"sbatch\": [\"--wrap=rm -rf /\"]}}"
            << "start.spec.sbatch: \"--wrap=rm -rf /\" is not an sbatch option" << 51;
        QTest::newRow("slurm node rank")
            << "{\"id\": 52, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", "
               "\"scheduler\": \"slurm\", \"nnodes\": 2, \"node_rank\": 1, \"master\": \"h:1\"}}"
            << "a Slurm job is one run on all its nodes" << 52;
        QTest::newRow("master address of one host")
            << "{\"id\": 46, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", "
               "\"master_address\": \"10.0.0.1\"}}"
            << "\"master_address\" is for node 0 of a run across several hosts" << 46;
        QTest::newRow("master address not a host")
            << "{\"id\": 47, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"nnodes\": "
               "2, \"master_address\": \"10.0.0.1 -x\"}}"
            << "master_address \"10.0.0.1 -x\" is not a host name or address" << 47;
        QTest::newRow("resume with nnodes")
            << "{\"id\": 44, \"request\": \"start\", \"spec\": {\"resume_run\": \"r\", \"nnodes\": "
               "2}}"
            << "a resumed run keeps its nproc, nnodes and node_rank" << 44;
        QTest::newRow("set not strings")
            << "{\"id\": 14, \"request\": \"start\", \"spec\": {\"config\": \"a=1\", \"set\": [1]}}"
            << "\"set\" must be an array of strings" << 14;
        QTest::newRow("generate without prompts")
            << "{\"id\": 15, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": []}"
            << "generate: \"prompts\" must hold 1 to 100000 prompts, not 0" << 15;
        QTest::newRow("generate temperature")
            << "{\"id\": 16, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"sampling\": {\"temperature\": -1}}"
            << "generate.sampling: temperature must be at least 0, not -1" << 16;
        QTest::newRow("generate top_p")
            << "{\"id\": 17, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"sampling\": {\"top_p\": 1.5}}"
            << "generate.sampling: top_p must be in (0, 1], not 1.5" << 17;
        QTest::newRow("generate huge count")
            << "{\"id\": 18, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"sampling\": {\"max_new_tokens\": -9000000000}}"
            << "max_new_tokens must be positive" << 18;
        QTest::newRow("generate sampling typo")
            << "{\"id\": 19, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"sampling\": {\"topk\": 3}}"
            << "generate.sampling: unknown field \"topk\"" << 19;
        QTest::newRow("generate chat not a flag")
            << "{\"id\": 21, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"chat\": \"yes\"}"
            << "generate: \"chat\" must be true or false" << 21;
        QTest::newRow("generate history without chat")
            << "{\"id\": 22, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"history\": [{\"role\": \"user\", \"content\": \"x\"}]}"
            << "generate: \"history\" is for chat generations" << 22;
        QTest::newRow("generate history role")
            << "{\"id\": 23, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"chat\": true, \"history\": [{\"role\": \"bot\", \"content\": "
               "\"x\"}]}"
            << "generate: \"history\": turn 0 has role 'bot' (system, user or assistant)" << 23;
        QTest::newRow("generate history not turns")
            << "{\"id\": 24, \"request\": \"generate\", \"checkpoint\": \"c\", \"prompts\": "
               "[\"a\"], \"chat\": true, \"history\": [\"hi\"]}"
            << "generate: \"history\": turn 0 must be {\"role\": ..., \"content\": ...} with two "
               "strings"
            << 24;
        QTest::newRow("generate history too long")
            << QString(
                   "{\"id\": 25, \"request\": \"generate\", \"checkpoint\": \"c\", "
                   "\"prompts\": [\"a\"], \"chat\": true, \"history\": [{\"role\": "
                   "\"user\", \"content\": \"%1\"}]}")
                   .arg(QString(100000, 'x'))
            << "generate: \"history\": the conversation is 100030 bytes of JSON; at most 98304"
            << 25;
        QTest::newRow("cancel without generation") << "{\"id\": 20, \"request\": \"cancel\"}"
                                                   << "cancel: \"generation\" is required" << 20;
        QTest::newRow("hello without version") << "{\"id\": 13, \"request\": \"hello\"}"
                                               << "hello: \"protocol\" is required" << 13;
        QTest::newRow("label choice")
            << "{\"id\": 30, \"request\": \"label_submit\", \"pair\": 1, \"choice\": \"left\"}"
            << "label_submit: unknown preference choice 'left'" << 30;
        QTest::newRow("label without pair") << "{\"id\": 31, \"request\": \"label_release\"}"
                                            << "label_release: \"pair\" is required" << 31;
        QTest::newRow("import nothing")
            << "{\"id\": 32, \"request\": \"label_import\", \"pairs\": []}"
            << "\"pairs\" must hold 1 to 1000000 pairs, not 0" << 32;
        QTest::newRow("import pair typo")
            << "{\"id\": 33, \"request\": \"label_import\", \"pairs\": [{\"prompt\": \"p\", "
               "\"a\": \"x\", \"bb\": \"y\"}]}"
            << "label_import.pairs: \"b\" is required" << 33;
        QTest::newRow("export limit") << "{\"id\": 34, \"request\": \"label_export\", \"limit\": 0}"
                                      << "label_export: \"limit\" must be 1 to 100000, not 0" << 34;
        QTest::newRow("settings typo")
            << "{\"id\": 35, \"request\": \"label_settings\", \"settings\": "
               "{\"labels_per_pair\": 2, \"claim_minutes\": 5}}"
            << "label_settings.settings: unknown field \"claim_minutes\"" << 35;
        QTest::newRow("claim count")
            << "{\"id\": 37, \"request\": \"label_claim\", \"count\": 5000}"
            << "label_claim: \"count\" must be 1 to 1000, not 5000" << 37;
        QTest::newRow("history state")
            << "{\"id\": 38, \"request\": \"history_runs\", \"state\": \"sleepy\"}"
            << "history_runs: unknown run state" << 38;
        QTest::newRow("history sort")
            << "{\"id\": 39, \"request\": \"history_runs\", \"sort\": \"mood\"}"
            << "history_runs: mood: expected created" << 39;
        QTest::newRow("history run without id") << "{\"id\": 40, \"request\": \"history_run\"}"
                                                << "history_run: \"run\" is required" << 40;
        QTest::newRow("history series width")
            << "{\"id\": 41, \"request\": \"history_series\", \"run\": 1, \"key\": \"loss\", "
               "\"width\": 0}"
            << "history_series: \"width\" must be 1 to 100000, not 0" << 41;
        QTest::newRow("history steps backwards")
            << "{\"id\": 42, \"request\": \"history_samples\", \"run\": 1, \"key\": "
               "\"loss\", \"from_step\": 9, \"to_step\": 3, \"count\": 5}"
            << "history_samples: \"from_step\" 9 is after \"to_step\" 3" << 42;
        QTest::newRow("history rows limit")
            << "{\"id\": 43, \"request\": \"history_metric_rows\", \"run\": 1, \"key\": "
               "\"loss\", \"limit\": 200000}"
            << "history_metric_rows: \"limit\" must be 1 to 100000, not 200000" << 43;
        QTest::newRow("history details without tags")
            << "{\"id\": 44, \"request\": \"history_details\", \"run\": 1, \"title\": \"t\", "
               "\"notes\": \"\"}"
            << "history_details: \"tags\" is required" << 44;
        QTest::newRow("history comment typo")
            << "{\"id\": 45, \"request\": \"history_comment\", \"run\": 1, \"text\": \"hi\"}"
            << "history_comment: \"body\" is required" << 45;
        QTest::newRow("history diff of one")
            << "{\"id\": 46, \"request\": \"history_diff\", \"run\": 1}"
            << "history_diff: \"other\" is required" << 46;
        QTest::newRow("files read limit")
            << "{\"id\": 47, \"request\": \"files_read\", \"path\": \"a\", \"limit\": -1}"
            << "files_read: \"limit\" must be 0 to 12582912, not -1" << 47;
        QTest::newRow("files list empty path")
            << "{\"id\": 48, \"request\": \"files_list\", \"path\": \"\"}"
            << "files_list: \"path\" is empty" << 48;
        QTest::newRow("preview without sources")
            << "{\"id\": 49, \"request\": \"clean_preview\", \"config\": \"\", \"sources\": []}"
            << "clean_preview: \"sources\" must name a file or a folder" << 49;
        QTest::newRow("unknown job")
            << "{\"id\": 50, \"request\": \"job_start\", \"job\": \"shard\", \"inputs\": [], "
               "\"output\": \"x\"}"
            << "job_start: \"job\" \"shard\" is none of clean, tokenizer_train, labels_score" << 50;
        QTest::newRow("clean without settings")
            << "{\"id\": 51, \"request\": \"job_start\", \"job\": \"clean\", \"inputs\": "
               "[\"raw\"], \"output\": \"datasets/c\"}"
            << "job_start: clean: no settings file given" << 51;
        QTest::newRow("job output before the start")
            << "{\"id\": 52, \"request\": \"job_output\", \"job\": \"j\", \"after\": -4}"
            << "job_output: \"after\" must not be negative" << 52;
        QTest::newRow("stats annotator")
            << "{\"id\": 36, \"request\": \"label_stats\", \"annotator\": \"ana\"}"
            << "label_stats: unknown field \"annotator\"" << 36;
    }
    void malformedRequestsAreNamed() {
        QFETCH(QString, line);
        QFETCH(QString, error);
        QFETCH(int, id);
        auto [message, requestId] = rejection(line.toStdString());
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        QCOMPARE(requestId, int64_t(id));
    }

    void workerMessagesDecode() {
        proto::WorkerMessage hello = proto::decodeWorkerMessage(
            proto::helloMessage("1.2.3", "{\"devices\":[{\"id\":\"cpu\"}]}"));
        QVERIFY(hello.kind == proto::MessageKind::Hello);
        QCOMPARE(hello.protocol, proto::kProtocolVersion);
        QCOMPARE(hello.strataVersion, std::string("1.2.3"));
        QVERIFY(hello.dataJson.find("cpu") != std::string::npos);

        proto::WorkerMessage reply =
            proto::decodeWorkerMessage(proto::replyMessage(5, "{\"run\":\"a\"}"));
        QVERIFY(reply.kind == proto::MessageKind::Reply);
        QCOMPARE(*reply.id, 5);

        proto::WorkerMessage error = proto::decodeWorkerMessage(proto::errorMessage({}, "bad"));
        QVERIFY(error.kind == proto::MessageKind::Error);
        QVERIFY(!error.id);
        QCOMPARE(error.message, std::string("bad"));

        std::string line =
            "{\"seq\":12,\"time\":1.5,\"rank\":1,\"type\":\"metrics\",\"data\":"
            "{\"step\":3,\"loss\":2.5}}";
        proto::WorkerMessage event =
            proto::decodeWorkerMessage(proto::runEventMessage("run \"x\"", line));
        QVERIFY(event.kind == proto::MessageKind::RunEvent);
        QCOMPARE(event.run, std::string("run \"x\""));
        QCOMPARE(event.seq, 12);
        QCOMPARE(event.rank, 1);
        QCOMPARE(event.type, std::string("metrics"));
        QCOMPARE(event.dataJson, std::string("{\"step\":3,\"loss\":2.5}"));

        proto::WorkerMessage generated =
            proto::decodeWorkerMessage(proto::generatedMessage(3, "{\"prompt\":0,\"text\":\"a\"}"));
        QVERIFY(generated.kind == proto::MessageKind::Generated);
        QCOMPARE(generated.generation, 3);
        QCOMPARE(generated.dataJson, std::string("{\"prompt\":0,\"text\":\"a\"}"));

        proto::WorkerMessage job = proto::decodeWorkerMessage(proto::jobStatusMessage(
            "{\"run\":\"tiny-1\",\"state\":\"created\",\"job\":{\"id\":\"42\"}}"));
        QVERIFY(job.kind == proto::MessageKind::JobStatus);
        QCOMPARE(job.run, std::string("tiny-1"));
        QVERIFY(job.dataJson.find("\"42\"") != std::string::npos);

        QVERIFY_THROWS_EXCEPTION(proto::ProtocolError,
                                 proto::decodeWorkerMessage("{\"type\":\"surprise\"}"));
        QVERIFY_THROWS_EXCEPTION(proto::ProtocolError,
                                 proto::decodeWorkerMessage("{\"type\":\"job_status\"}"));
        QVERIFY_THROWS_EXCEPTION(proto::ProtocolError, proto::decodeWorkerMessage(
                                                           "{\"type\":\"generated\",\"data\":{}}"));
    }
};

QTEST_APPLESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
