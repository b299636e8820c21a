// core/ must build and run where Qt is absent (a GPU server running the worker). Three checks:
// no file in core/ includes Qt, strata-cli (everything core links) loads no Qt library, and the
// project configures with STRATA_BUILD_GUI=OFF while CMake is forbidden to find Qt at all.
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

class TestQtFree : public QObject {
    Q_OBJECT

private slots:
    void coreIncludesNoQt() {
        QRegularExpression qtInclude("^\\s*#\\s*include\\s*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)");
        QRegularExpression qtTarget("\\bQt6?::");
        QDirIterator files(STRATA_SOURCE_DIR "/core", QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QString path = files.next();
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            int lineNumber = 0;
            for (const QString& line : QString::fromUtf8(file.readAll()).split('\n')) {
                ++lineNumber;
                bool offending =
                    qtInclude.match(line).hasMatch() ||
                    (path.endsWith("CMakeLists.txt") && qtTarget.match(line).hasMatch());
                QVERIFY2(!offending,
                         qPrintable(QString("%1:%2: %3").arg(path).arg(lineNumber).arg(line)));
            }
            ++checked;
        }
        QVERIFY(checked > 10);
    }

    void cliLoadsNoQt() {
        QProcess ldd;
        ldd.start("ldd", {STRATA_CLI});
        QVERIFY(ldd.waitForFinished(30000));
        QString libraries = QString::fromUtf8(ldd.readAllStandardOutput());
        QVERIFY2(libraries.contains("libc.so"), qPrintable(libraries));
        QVERIFY2(!libraries.contains("libQt"), qPrintable(libraries));
    }

    void configuresWithoutQt() {
        QTemporaryDir build;
        QFile cache(STRATA_BINARY_DIR "/CMakeCache.txt");
        QVERIFY(cache.open(QIODevice::ReadOnly));
        QString prefixPath = QRegularExpression("CMAKE_PREFIX_PATH:[A-Z]*=(.*)")
                                 .match(QString::fromUtf8(cache.readAll()))
                                 .captured(1)
                                 .trimmed();
        QProcess cmake;
        cmake.setProcessChannelMode(QProcess::MergedChannels);
        cmake.start("cmake",
                    {"-S", STRATA_SOURCE_DIR, "-B", build.path(), "-G", "Ninja",
                     "-DSTRATA_BUILD_GUI=OFF", "-DSTRATA_BUILD_TESTS=OFF",
                     "-DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON", "-DCMAKE_PREFIX_PATH=" + prefixPath});
        QVERIFY(cmake.waitForFinished(180000));
        QString output = QString::fromUtf8(cmake.readAll());
        QVERIFY2(cmake.exitCode() == 0, qPrintable(output.right(3000)));
        QVERIFY(QFile::exists(build.path() + "/build.ninja"));
    }
};

QTEST_APPLESS_MAIN(TestQtFree)
#include "tst_qt_free.moc"
