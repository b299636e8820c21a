// MappedFile: the bytes of a file, an empty file, and errors naming what could not be mapped.
#include "core/common/error.h"
#include "core/common/mapped_file.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using strata::common::MappedFile;
namespace fs = std::filesystem;

class TestMappedFile : public QObject {
    Q_OBJECT

private slots:
    void mapsTheBytes() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "f.bin";
        std::ofstream(path, std::ios::binary) << std::string("abc\0def", 7);
        MappedFile file(path);
        QCOMPARE(file.view(), std::string_view("abc\0def", 7));
        MappedFile moved = std::move(file);
        QCOMPARE(moved.size(), size_t(7));
        QCOMPARE(file.size(), size_t(0));
    }

    void emptyFileMapsToNothing() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "empty";
        std::ofstream(path).close();
        QCOMPARE(MappedFile(path).size(), size_t(0));
    }

    void errorsNameThePath() {
        QTemporaryDir dir;
        for (fs::path path :
             {fs::path(dir.path().toStdString()) / "missing", fs::path(dir.path().toStdString())}) {
            try {
                MappedFile file(path);
                QFAIL("expected an error");
            } catch (const strata::common::Error& error) {
                QVERIFY2(std::string(error.what()).rfind(path.string() + ": ", 0) == 0,
                         error.what());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestMappedFile)
#include "tst_mapped_file.moc"
