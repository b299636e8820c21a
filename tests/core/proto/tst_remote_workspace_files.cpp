// A workspace's files and jobs reached from another machine: a real sshd on 127.0.0.1 and the
// real strata-cli worker behind it. Listings, reads, writes and the cleaning preview give what the
// host's own files give; a path that leaves the workspace and a file that is not text are refused
// in one line; a real cleaning and a real tokenizer training run on the host as jobs, and a job
// goes on when the connection that started it is killed, its output read on from where it
// stopped over a new one.
#include "core/proto/remote_workspace_files.h"
#include "core/proto/workspace_messages.h"
#include "tests/core/proto/ssh_server.h"
#include "tests/error_of.h"
#include "tests/write_file.h"

#include <QtTest>

#include <csignal>
#include <fstream>
#include <thread>

using namespace strata;
namespace fs = std::filesystem;

namespace {

// Documents with enough words, and unlike enough, for the default cleaning to keep most.
std::string corpus(int documents) {
    const char* words[] = {"river",  "stone",  "lantern", "orchard", "violet",  "harbor",
                           "meadow", "copper", "whistle", "saffron", "glacier", "thimble"};
    std::string text;
    uint32_t state = 7;
    for (int document = 0; document < documents; ++document) {
        text += "{\"text\": \"";
        for (int word = 0; word < 80; ++word) {
            state = state * 1103515245 + 12345;
            text += words[(state >> 16) % 12];
            text += word % 12 == 11 ? ". " : " ";
        }
        text += "\"}\n";
    }
    return text;
}

// Follows a job to its end, reading its output on from where each read stopped.
proto::JobOutput follow(proto::RemoteWorkspaceFiles& files, proto::JobOutput output,
                        std::vector<std::string>& lines) {
    lines.insert(lines.end(), output.lines.begin(), output.lines.end());
    for (int i = 0; i < 600 && output.state == proto::JobState::Running; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        try {
            output = files.jobOutput(output.job, output.next);
        } catch (const proto::ConnectionLost&) {
            continue;  // the host's job goes on; read again once the wait is over
        }
        lines.insert(lines.end(), output.lines.begin(), output.lines.end());
    }
    return output;
}

}  // namespace

class TestRemoteWorkspaceFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SshServer m_ssh;

    fs::path workspace() const { return m_dir.filePath("host-ws").toStdString(); }
    proto::WorkerTarget target() const { return m_ssh.target(STRATA_CLI, workspace()); }

private slots:
    void initTestCase() {
        QVERIFY2(m_ssh.started(), qPrintable(m_ssh.log()));
        writeFile(workspace() / "raw" / "docs.jsonl", corpus(200));
        writeFile(workspace() / "raw" / "short.txt", "too short\n");
        writeFile(workspace() / "raw" / "binary.bin", std::string("\xff\xfe\x00\x01", 4));
        writeFile(m_dir.filePath("elsewhere/secret.txt").toStdString(), "not the workspace's\n");
    }

    void filesAreTheHosts() {
        proto::RemoteWorkspaceFiles remote(target());
        store::LocalWorkspaceFiles local(workspace(), /*confined=*/true);
        QCOMPARE(proto::folderEntriesJson(remote.list("raw")),
                 proto::folderEntriesJson(local.list("raw")));
        QCOMPARE(remote.list(".").size(), size_t(1));
        QVERIFY(remote.list("datasets").empty());
        QVERIFY(remote.exists("raw/short.txt"));
        QVERIFY(!remote.exists("raw/none.txt"));
        QCOMPARE(remote.read("raw/short.txt"), std::string("too short\n"));

        remote.write("configs/clean.toml", "[words]\nmin = 5\n");
        QCOMPARE(local.read("configs/clean.toml"), std::string("[words]\nmin = 5\n"));
        QVERIFY(errorOf([&] {
                    remote.write("configs/clean.toml", "x", false);
                }).endsWith("configs/clean.toml exists already"));
        QCOMPARE(local.read("configs/clean.toml"), std::string("[words]\nmin = 5\n"));

        const std::string settings = "[words]\nmin = 5\n";
        QCOMPARE(proto::previewJson(remote.previewCleaning(settings, {"raw"})),
                 proto::previewJson(local.previewCleaning(settings, {"raw"})));
    }

    void whatLeavesTheWorkspaceIsRefused() {
        proto::RemoteWorkspaceFiles remote(target());
        // The host's errors come with its name.
        const QString host = QString::fromStdString(target().name()) + ": ";
        const QString root = QString::fromStdString(fs::weakly_canonical(workspace()).string());
        const QString outside = " is outside the workspace " + root;
        QCOMPARE(errorOf([&] { remote.read("../elsewhere/secret.txt"); }),
                 host + "../elsewhere/secret.txt" + outside);
        QCOMPARE(errorOf([&] { remote.list("/etc"); }), host + "/etc" + outside);
        QCOMPARE(errorOf([&] { remote.write("../planted.txt", "x"); }),
                 host + "../planted.txt" + outside);
        QVERIFY(!fs::exists(m_dir.filePath("planted.txt").toStdString()));
        proto::JobSpec spec;
        spec.kind = proto::JobSpec::Kind::TokenizerTrain;
        spec.inputs = {"raw/docs.jsonl"};
        spec.output = "../tokenizer.json";
        QCOMPARE(errorOf([&] { remote.startJob(spec); }), host + "../tokenizer.json" + outside);
        QCOMPARE(errorOf([&] { remote.read("raw/binary.bin"); }),
                 host + "raw/binary.bin is not UTF-8 text, which is all files_read carries");
        QCOMPARE(errorOf([&] { remote.jobOutput("clean-1", 0); }),
                 host + "no job \"clean-1\" in the workspace " + root);
    }

    // A reply over the protocol's line cap would make this side drop the connection: the worker
    // refuses it in one line instead, and the connection goes on.
    void aReplyOverTheLineCapIsRefused() {
        writeFile(workspace() / "raw" / "controls.txt", std::string(3 << 20, '\x01'));
        proto::RemoteWorkspaceFiles remote(target());
        QCOMPARE(errorOf([&] { remote.read("raw/controls.txt"); }),
                 QString::fromStdString(target().name()) +
                     ": files_read: the reply would be 18 MiB, over the 16 MiB a line may be");
        QCOMPARE(remote.read("raw/short.txt"), std::string("too short\n"));
    }

    void aCleaningRunsOnTheHost() {
        proto::RemoteWorkspaceFiles remote(target());
        remote.write("configs/clean.toml", "[words]\nmin = 5\n");
        proto::JobSpec spec;
        spec.inputs = {"raw/docs.jsonl", "raw/short.txt"};
        spec.output = "datasets/corpus";
        spec.config = "configs/clean.toml";
        std::vector<std::string> lines;
        proto::JobOutput ended = follow(remote, remote.startJob(spec), lines);
        QVERIFY2(ended.state == proto::JobState::Succeeded,
                 lines.empty() ? "" : lines.back().c_str());
        QVERIFY(fs::file_size(workspace() / "datasets" / "corpus" / "clean.jsonl.zst") > 0);
        QVERIFY(remote.read("datasets/corpus/funnel.json").find("\"words.too_few\"") !=
                std::string::npos);
    }

    // The job is the host's: killing the connection that started it leaves it training, and a
    // new connection reads its output on from where the last read stopped.
    void aJobOutlivesItsConnection() {
        proto::RemoteWorkspaceFiles remote(target());
        proto::JobSpec spec;
        spec.kind = proto::JobSpec::Kind::TokenizerTrain;
        spec.inputs = {"raw/docs.jsonl"};
        spec.output = "tokenizers/docs/tokenizer.json";
        spec.vocabSize = 300;
        proto::JobOutput started = remote.startJob(spec);
        // strata-cli takes seconds to start (it loads LibTorch): the kill lands while the job
        // runs, and a job that died with its connection would read as failed below.
        for (pid_t client : SshServer::clientsOfThisProcess())
            ::kill(client, SIGKILL);
        std::vector<std::string> lines;
        proto::JobOutput ended = follow(remote, started, lines);
        QVERIFY2(ended.state == proto::JobState::Succeeded,
                 lines.empty() ? "" : lines.back().c_str());
        QVERIFY(!lines.empty());
        QVERIFY(remote.read("tokenizers/docs/tokenizer.json").find("\"merges\"") !=
                std::string::npos);
        // Read again from the start, the output is what the reads on from each offset gave.
        QCOMPARE(remote.jobOutput(started.job, 0).lines, lines);
    }
};

QTEST_GUILESS_MAIN(TestRemoteWorkspaceFiles)
#include "tst_remote_workspace_files.moc"
