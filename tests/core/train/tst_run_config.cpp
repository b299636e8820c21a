// The run config: documented defaults, a resolved config that reads back to the same text, and
// one-line errors naming the file, line and key for every kind of bad value.
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/train/run_config.h"

#include <QtTest>

using namespace strata;
using common::ConfigReader;

namespace {

const char* kMinimal = R"([data]
shards = "data/shards"
tokenizer = "/abs/tokenizer.json"
)";

train::RunConfig read(const std::string& text, const std::vector<std::string>& overrides = {}) {
    ConfigReader reader = ConfigReader::fromString(text, "run.toml");
    for (const std::string& assignment : overrides)
        reader.applyOverride(assignment);
    return train::readRunConfig(reader, "/base");
}

QString errorOf(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        read(text, overrides);
    } catch (const common::Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

}  // namespace

class TestRunConfig : public QObject {
    Q_OBJECT

private slots:
    void defaultsAndPaths() {
        train::RunConfig config = read(kMinimal);
        QCOMPARE(config.data.shards, std::filesystem::path("/base/data/shards"));
        QCOMPARE(config.data.tokenizer, std::filesystem::path("/abs/tokenizer.json"));
        QCOMPARE(config.optim.beta2, 0.95);
        QCOMPARE(config.optim.weightDecay, 0.1);
        QCOMPARE(config.train.gradClip, 1.0);
        QCOMPARE(config.schedule.totalSteps, config.train.maxSteps);
        QCOMPARE(config.schedule.peakLr, config.optim.lr);
        QCOMPARE(config.resolvedSequenceLength(), config.model.contextLength);
    }

    void resolvedTextReadsBackEqual() {
        train::RunConfig config =
            read(kMinimal, {"train.precision=\"bf16\"", "schedule.kind=\"wsd\"", "optim.lr=1.5e-3",
                            "train.sequence_length=64", "checkpoint.keep_best=false",
                            "model.attention.kind=\"mla\"", "train.device=\"cuda:1\""});
        std::string text = train::runConfigText(config);
        train::RunConfig again = read(text);
        QCOMPARE(train::runConfigText(again), text);
        QCOMPARE(again.train.precision, train::Precision::Bf16);
        QCOMPARE(again.schedule.kind, train::ScheduleKind::WarmupStableDecay);
        QVERIFY(again.model == config.model);
    }

    void defaultTextDocumentsEveryKey() {
        // Reading the default text with its data paths filled in uses every key it lists.
        std::string text = train::defaultRunConfigText();
        QString error = errorOf(text);
        QVERIFY2(error.contains("data.shards") && error.contains("data.tokenizer"),
                 qPrintable(error));
        QCOMPARE(errorOf(text, {"data.shards=s", "data.tokenizer=t.json"}), QString());
    }

    void badValuesNameTheirKey_data() {
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << "train.max_step=5"
                                     << "--set key 'train.max_step' is not a known setting";
        QTest::newRow("wrong type") << "train.max_steps=\"many\""
                                    << "key 'train.max_steps' must be an integer";
        QTest::newRow("zero batch") << "train.micro_batch_size=0"
                                    << "key 'train.micro_batch_size' must be positive";
        QTest::newRow("long sequence") << "train.sequence_length=100000"
                                       << "key 'train.sequence_length' must be between 0";
        QTest::newRow("precision")
            << "train.precision=\"fp8\""
            << "key 'train.precision' must be \"auto\", \"fp32\" or \"bf16\"";
        QTest::newRow("device") << "train.device=\"tpu\""
                                << "key 'train.device' must be";
        QTest::newRow("heads")
            << "model.attention.num_heads=7"
            << "key 'model.attention.num_heads' must be a divisor of model.d_model";
        QTest::newRow("top-k") << "model.moe.top_k=9"
                               << "key 'model.moe.top_k' must be between 1 and";
        QTest::newRow("schedule") << "schedule.kind=\"linear\""
                                  << "key 'schedule.kind' must be \"cosine\" or \"wsd\"";
    }
    void badValuesNameTheirKey() {
        QFETCH(QString, override);
        QFETCH(QString, expected);
        QString error = errorOf(kMinimal, {override.toStdString()});
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }

    void fileErrorsNameTheLine() {
        QString error = errorOf(std::string(kMinimal) + "[train]\nmax_steps = -1\n");
        QVERIFY2(error.contains("run.toml:5: key 'train.max_steps' must be positive"),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestRunConfig)
#include "tst_run_config.moc"
