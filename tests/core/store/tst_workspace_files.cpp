// A workspace's files as the Data and Tokenizer pages reach them on this machine, and as a
// host's worker serves them (confined to the workspace): listings put folders first and stop at
// their cap, reads and writes are whole and bounded, a write that may not replace is refused,
// and a confined path that leaves the workspace (through "..", an absolute path or a link out)
// is refused in one line naming it, while the studio's own files may be anywhere.
#include "core/store/workspace_files.h"
#include "tests/error_of.h"
#include "tests/write_file.h"

#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

namespace {}  // namespace

class TestWorkspaceFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path workspace() const { return fs::path(m_dir.path().toStdString()) / "ws"; }
    fs::path outside() const { return fs::path(m_dir.path().toStdString()) / "elsewhere"; }

private slots:
    void initTestCase() {
        writeFile(workspace() / "datasets" / "corpus" / "sources.txt", "raw/a.txt\n");
        writeFile(workspace() / "raw" / "b.txt", "bee\n");
        writeFile(workspace() / "raw" / "a.txt", "The quick brown fox jumps over the lazy dog.\n");
        fs::create_directories(workspace() / "raw" / "older");
        writeFile(outside() / "secret.txt", "not the workspace's\n");
        fs::create_directory_symlink(outside(), workspace() / "link-out");
    }

    void listingsPutFoldersFirst() {
        store::LocalWorkspaceFiles files(workspace(), /*confined=*/true);
        std::vector<store::FolderEntry> entries = files.list("raw");
        QCOMPARE(entries.size(), size_t(3));
        QCOMPARE(entries[0].name, std::string("older"));
        QVERIFY(entries[0].folder);
        QCOMPARE(entries[1].name, std::string("a.txt"));
        QCOMPARE(entries[1].size, uint64_t(45));
        QVERIFY(entries[1].modifiedNanoseconds > int64_t(1700000000) * 1000000000);
        QCOMPARE(entries[2].name, std::string("b.txt"));
        QVERIFY(files.list("no-such-folder").empty());
        QVERIFY(files.exists("datasets/corpus/sources.txt"));
        QVERIFY(!files.exists("datasets/corpus/funnel.json"));
    }

    // More entries than a listing gives: the first ones by name, folders first, and no more.
    void aHugeFolderGivesItsFirstEntries() {
        const fs::path huge = workspace() / "huge";
        fs::create_directories(huge / "zz-folder");
        for (size_t i = 0; i < store::kMaxFolderEntries + 5; ++i)
            std::ofstream(huge / QString("f%1").arg(i, 6, 10, QChar('0')).toStdString());
        store::LocalWorkspaceFiles files(workspace(), /*confined=*/true);
        std::vector<store::FolderEntry> entries = files.list("huge");
        QCOMPARE(entries.size(), store::kMaxFolderEntries);
        QCOMPARE(entries.front().name, std::string("zz-folder"));
        QCOMPARE(entries[1].name, std::string("f000000"));
        QCOMPARE(entries.back().name, std::string("f009998"));
        fs::remove_all(huge);
    }

    void readsAndWritesAreWholeAndBounded() {
        store::LocalWorkspaceFiles files(workspace(), /*confined=*/true);
        QCOMPARE(files.read("raw/b.txt"), std::string("bee\n"));
        QCOMPARE(errorOf([&] { files.read("raw/a.txt", 10); }),
                 QString::fromStdString((workspace() / "raw" / "a.txt").string() +
                                        " is 45 bytes, over the 10 a read may take"));
        QVERIFY(errorOf([&] { files.read("raw/none.txt"); }).startsWith("cannot read "));

        files.write("configs/clean.toml", "[words]\nmin = 3\n");
        QCOMPARE(files.read("configs/clean.toml"), std::string("[words]\nmin = 3\n"));
        files.write("configs/clean.toml", "[words]\nmin = 4\n");
        QCOMPARE(files.read("configs/clean.toml"), std::string("[words]\nmin = 4\n"));
        QCOMPARE(errorOf([&] { files.write("configs/clean.toml", "x", /*replace=*/false); }),
                 QString::fromStdString((workspace() / "configs" / "clean.toml").string() +
                                        " exists already"));
        QCOMPARE(files.read("configs/clean.toml"), std::string("[words]\nmin = 4\n"));
        QVERIFY(errorOf([&] {
                    files.write("big.txt", std::string(store::kMaxWorkspaceFileBytes + 1, 'x'));
                }).contains("over the"));
        QVERIFY(!fs::exists(workspace() / "big.txt"));
    }

    void aConfinedPathMayNotLeaveTheWorkspace() {
        store::LocalWorkspaceFiles files(workspace(), /*confined=*/true);
        const QString outsideWorkspace = QString(" is outside the workspace %1")
                                             .arg(QString::fromStdString(workspace().string()));
        QCOMPARE(errorOf([&] { files.read("../elsewhere/secret.txt"); }),
                 "../elsewhere/secret.txt" + outsideWorkspace);
        const std::string absolute = (outside() / "secret.txt").string();
        QCOMPARE(errorOf([&] { files.read(absolute); }),
                 QString::fromStdString(absolute) + outsideWorkspace);
        QCOMPARE(errorOf([&] { files.list("link-out"); }), "link-out" + outsideWorkspace);
        QCOMPARE(errorOf([&] { files.write("link-out/planted.txt", "x"); }),
                 "link-out/planted.txt" + outsideWorkspace);
        QVERIFY(!fs::exists(outside() / "planted.txt"));
        QCOMPARE(errorOf([&] { files.previewCleaning("", {"../elsewhere"}); }),
                 "../elsewhere" + outsideWorkspace);
        QCOMPARE(errorOf([&] { files.read(""); }),
                 QString("an empty path names no file of the workspace"));

        // The studio's own files may be anywhere on its machine.
        store::LocalWorkspaceFiles own(workspace());
        QCOMPARE(own.read(absolute), std::string("not the workspace's\n"));
    }

    void thePreviewSamplesTheSources() {
        store::LocalWorkspaceFiles files(workspace(), /*confined=*/true);
        std::vector<cleaning::PreviewDocument> documents =
            files.previewCleaning("[words]\nmin = 3\n", {"raw/a.txt", "raw/b.txt"});
        QCOMPARE(documents.size(), size_t(2));
        int kept = 0;
        for (const cleaning::PreviewDocument& document : documents)
            kept += document.reason == cleaning::RejectReason::Kept;
        QCOMPARE(kept, 1);  // "bee" is one word
        QCOMPARE(errorOf([&] { files.previewCleaning("[words]\nminn = 3\n", {"raw/a.txt"}); }),
                 QString("the cleaning settings:2: key 'words.minn' is not a known setting"));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceFiles)
#include "tst_workspace_files.moc"
