// The sample corpus: fortune files split into entries as they are written, missing packages
// named.
#include "core/cleaning/sample_sources.h"
#include "core/common/error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata::cleaning;
namespace fs = std::filesystem;

class TestSampleSources : public QObject {
    Q_OBJECT

private slots:
    void splitsFortunesKeepingTheirText() {
        // The colour escapes stay: the cleaning's terminal_escapes stage removes them.
        auto entries = parseFortunes(
            "First one.\n%\n\x1b[32m《静夜思》\x1b[m\n床前明月光\n%\n%\n  \n%\nLast\n");
        QCOMPARE(entries.size(), size_t(3));
        QCOMPARE(entries[0], std::string("First one."));
        QCOMPARE(entries[1], std::string("\x1b[32m《静夜思》\x1b[m\n床前明月光"));
        QCOMPARE(entries[2], std::string("Last"));
    }

    void collectsFortunesAndHtml() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        fs::create_directories(root / "fortunes");
        fs::create_directories(root / "html" / "library");
        std::ofstream(root / "fortunes" / "wisdom") << "A\n%\nB\n";
        std::ofstream(root / "fortunes" / "wisdom.dat") << "index";
        std::ofstream(root / "fortunes" / "notes") << "no index beside it, so not a collection\n";
        std::ofstream(root / "html" / "library" / "os.html") << "<p>os</p>";
        SampleSources sources =
            collectSampleSources(root / "raw", root / "fortunes", root / "html");
        QCOMPARE(sources.fortunes, uint64_t(2));
        QCOMPARE(sources.htmlFiles, uint64_t(1));
        QCOMPARE(sources.inputs.size(), size_t(2));
        std::ifstream jsonl(root / "raw" / "fortunes.jsonl");
        std::string line;
        std::getline(jsonl, line);
        QCOMPARE(line, std::string(R"({"text":"A","collection":"wisdom"})"));
    }

    void missingPackagesAreNamed() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        try {
            collectSampleSources(root / "raw", root / "no-fortunes", root);
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QVERIFY2(std::string(error.what())
                             .find("install the Debian packages fortunes and fortunes-zh") !=
                         std::string::npos,
                     error.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestSampleSources)
#include "tst_sample_sources.moc"
