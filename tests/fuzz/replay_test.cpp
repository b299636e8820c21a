// Replays one fuzz target's corpus, tests/fuzz/corpus/<target>/ (the seeds and every input that
// fuzzing found reaching new code), through the target as a test of every build, without
// libFuzzer: an input that once crashed a parser stays in the corpus, so the fix stays.
#include <QDir>
#include <QFile>
#include <QtTest>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

class TestFuzzReplay : public QObject {
    Q_OBJECT

private slots:
    void replaysTheCorpus_data() {
        QTest::addColumn<QString>("file");
        const QDir corpus(FUZZ_CORPUS);
        const QStringList names = corpus.entryList(QDir::Files, QDir::Name);
        for (const QString& name : names)
            QTest::newRow(qPrintable(name)) << corpus.filePath(name);
        if (names.isEmpty()) QTest::newRow("no inputs") << QString();  // fails below
    }
    void replaysTheCorpus() {
        QFETCH(QString, file);
        QVERIFY2(!file.isEmpty(), "the corpus has no inputs: " FUZZ_CORPUS);
        QFile input(file);
        QVERIFY(input.open(QIODevice::ReadOnly));
        const QByteArray bytes = input.readAll();
        QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.constData()),
                                        size_t(bytes.size())),
                 0);
    }
};

QTEST_APPLESS_MAIN(TestFuzzReplay)
#include "replay_test.moc"
