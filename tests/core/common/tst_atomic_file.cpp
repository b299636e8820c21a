// AtomicFile: the final name appears only on commit, with the whole content; nothing otherwise.
#include "core/common/atomic_file.h"
#include "core/common/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

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
