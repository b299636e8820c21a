// AtomicFile: the final name appears only on commit, with the whole content; nothing otherwise.
// AtomicFolder: a commit replaces a folder in one step; the leftovers of a process killed while
// writing one, or cut between the two renames of a replacement, are tidied up.
#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

using strata::common::AtomicFile;
namespace fs = std::filesystem;

class TestAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void commitPublishesWholeContent() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "out.txt";
        {
            AtomicFile file(path);
            file.write("hello ");
            QVERIFY(!fs::exists(path));
            file.write("world");
            QCOMPARE(file.size(), uint64_t(11));
            file.commit();
        }
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(text.str(), std::string("hello world"));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator{}),
                 1);
    }

    void abandonedFileLeavesNothing() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "out.txt";
        { AtomicFile(path).write("partial"); }
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }

    void writeAtRewritesHeader() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "out.bin";
        AtomicFile file(path);
        file.write("xxxxBODY");
        file.writeAt(0, "HEAD", 4);
        file.commit();
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(text.str(), std::string("HEADBODY"));
    }

    void aFolderCommitReplacesTheOldOneWhole() {
        QTemporaryDir dir;
        const fs::path target = fs::path(dir.path().toStdString()) / "step-0000004";
        for (const char* content : {"old", "new"}) {
            strata::common::AtomicFolder folder(target);
            std::ofstream(folder.staging() / "model.bin") << content;
            folder.commit();
        }
        std::ifstream in(target / "model.bin");
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(text.str(), std::string("new"));
        // Nothing beside it: neither the staging folder nor the old one.
        QCOMPARE(std::distance(fs::directory_iterator(target.parent_path()), {}), 1);
    }

    void leftoversOfDeadProcessesAreTidiedUp() {
        QTemporaryDir dir;
        const fs::path parent = dir.path().toStdString();
        pid_t dead = ::fork();
        if (dead == 0) ::_exit(0);
        ::waitpid(dead, nullptr, 0);
        const std::string gone = std::to_string(dead), alive = std::to_string(::getpid());
        auto make = [&](const std::string& name) {
            fs::create_directories(parent / name);
            std::ofstream(parent / name / "model.bin") << name;
        };
        make("step-0000002.tmp-" + gone);  // a checkpoint cut short by kill -9
        make("step-0000004.old-" + gone);  // a replacement cut between its renames
        make("step-0000006.old-" + gone);  // one cut after both: the new folder is in place
        make("step-0000006");
        make("step-0000008.tmp-" + alive);  // still being written
        strata::common::recoverStagingFolders(parent);
        std::vector<std::string> names;
        for (const fs::directory_entry& entry : fs::directory_iterator(parent))
            names.push_back(entry.path().filename().string());
        std::sort(names.begin(), names.end());
        QCOMPARE(names, (std::vector<std::string>{"step-0000004", "step-0000006",
                                                  "step-0000008.tmp-" + alive}));
        std::ifstream restored(parent / "step-0000004" / "model.bin");
        std::string content;
        restored >> content;
        QCOMPARE(content, "step-0000004.old-" + gone);
    }

    void unwritableFolderNamesThePath() {
        try {
            AtomicFile file("/nonexistent-folder/out.txt");
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QVERIFY(std::string(error.what()).find("/nonexistent-folder/out.txt") !=
                    std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
