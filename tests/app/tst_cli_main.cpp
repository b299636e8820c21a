// strata-cli's command table: usage, --version, unknown commands, and --help for every command.
#include "cli_runner.h"

#include <QtTest>

class TestCliMain : public QObject {
    Q_OBJECT

private slots:
    void listsCommands() {
        CliRun run = runCli({"--help"});
        QCOMPARE(run.exitCode, 0);
        for (const char* command : {"clean", "tokenizer", "shard", "model", "demo", "devices"})
            QVERIFY2(run.out.contains(QString("  ") + command), qPrintable(run.out));
    }

    void noArgumentsPrintsUsage() {
        CliRun run = runCli({});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.startsWith("usage: strata-cli COMMAND"));
    }

    void version() {
        CliRun run = runCli({"--version"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("strata-cli 0."));
    }

    void unknownCommand() {
        CliRun run = runCli({"trian"});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.lastErrorLine(),
                 QString("strata-cli: unknown command 'trian' (see strata-cli --help)"));
    }

    void everyCommandHasHelp_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        QTest::newRow("clean") << QStringList{"clean", "--help"} << "usage: strata-cli clean";
        QTest::newRow("tokenizer train")
            << QStringList{"tokenizer", "train", "--help"} << "usage: strata-cli tokenizer train";
        QTest::newRow("tokenizer encode")
            << QStringList{"tokenizer", "encode", "--help"} << "usage: strata-cli tokenizer encode";
        QTest::newRow("tokenizer decode")
            << QStringList{"tokenizer", "decode", "--help"} << "usage: strata-cli tokenizer decode";
        QTest::newRow("tokenizer inspect") << QStringList{"tokenizer", "inspect", "--help"}
                                           << "usage: strata-cli tokenizer inspect";
        QTest::newRow("shard") << QStringList{"shard", "--help"} << "usage: strata-cli shard";
        QTest::newRow("model info")
            << QStringList{"model", "info", "--help"} << "usage: strata-cli model info";
        QTest::newRow("train") << QStringList{"train", "--help"} << "usage: strata-cli train";
        QTest::newRow("generate") << QStringList{"generate", "--help"}
                                  << "usage: strata-cli generate";
        QTest::newRow("export") << QStringList{"export", "--help"} << "usage: strata-cli export";
        QTest::newRow("import") << QStringList{"import", "--help"} << "usage: strata-cli import";
        QTest::newRow("demo") << QStringList{"demo", "--help"} << "usage: strata-cli demo";
        QTest::newRow("devices") << QStringList{"devices", "--help"} << "usage: strata-cli devices";
    }
    void everyCommandHasHelp() {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith(usage), qPrintable(run.out));
    }

    void unknownOptionNamesIt() {
        CliRun run = runCli({"shard", "--bogus"});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(),
                 QString("strata-cli shard: error: unknown option '--bogus' (see --help)"));
    }

    void devicesListsTheCpu() {
        CliRun run = runCli({"devices"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("LibTorch 2.11"), qPrintable(run.out));
        QVERIFY(run.out.contains("\ncpu "));
    }
};

QTEST_APPLESS_MAIN(TestCliMain)
#include "tst_cli_main.moc"
