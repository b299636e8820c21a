// strata-cli model as a user runs it: the default config documented and costed, and one-line
// errors naming the file, line or key for configs that cannot work.
#include "cli_runner.h"

#include <QTemporaryDir>
#include <QtTest>

class TestCliModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.path() + "/" + name; }

    void expectError(const QStringList& args, const QString& message) {
        CliRun run = runCli(QStringList{"model", "info"} + args);
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.lastErrorLine(), "strata-cli model: error: " + message);
    }

private slots:
    void initTestCase() {
        CliRun defaults = runCli({"model", "--print-default-config"});
        QCOMPARE(defaults.exitCode, 0);
        QVERIFY(writeFile(path("model.toml"), defaults.out.toUtf8()));
        QVERIFY(writeFile(path("typo.toml"), "[model]\nd_modle = 128\n"));
        QVERIFY(writeFile(path("shape.toml"), "[model.moe]\nnum_routed_experts = 2\ntop_k = 3\n"));
        QVERIFY(writeFile(path("run.toml"), "[model]\nnum_layers = 2\n[train]\nsteps = 10\n"));
    }

    void costsTheDefaultModel() {
        CliRun run =
            runCli({"model", "info", path("model.toml"), "--batch", "4", "--seq-len", "256"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("parameters: 11.1M total, 7.6M active per token"),
                 qPrintable(run.out));
        QVERIFY(run.out.contains("training FLOPs per token at 256 tokens"));
        QVERIFY(run.out.contains("training memory, batch 4 x 256"));
    }

    void otherTablesAreLeftToTheirCommands() {
        CliRun run = runCli({"model", "info", path("run.toml")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.startsWith("2 layers"));
    }

    void badConfigs() {
        expectError({path("typo.toml")},
                    path("typo.toml") + ":2: key 'model.d_modle' is not a known setting");
        expectError(
            {path("shape.toml")},
            path("shape.toml") +
                ":3: key 'model.moe.top_k' must be between 1 and model.moe.num_routed_experts");
        expectError({path("model.toml"), "--set", "model.attention.num_kv_heads=3"},
                    "--set key 'model.attention.num_kv_heads' must be a divisor of "
                    "model.attention.num_heads");
        expectError({path("model.toml"), "--seq-len", "100000"},
                    "--seq-len must be between 1 and model.context_length (512)");
        expectError({path("missing.toml")},
                    path("missing.toml") + ": cannot read config: no such file");
    }
};

QTEST_APPLESS_MAIN(TestCliModel)
#include "tst_cli_model.moc"
