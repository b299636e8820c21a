// The run config: documented defaults, a resolved config that reads back to the same text, and
// one-line errors naming the file, line and key for every kind of bad value.
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/run/run_config.h"

#include <QtTest>

using namespace strata;
using common::ConfigReader;

namespace {

const char* kMinimal = R"([data]
shards = "data/shards"
tokenizer = "/abs/tokenizer.json"
)";

run::RunConfig read(const std::string& text, const std::vector<std::string>& overrides = {}) {
    ConfigReader reader = ConfigReader::fromString(text, "run.toml");
    for (const std::string& assignment : overrides)
        reader.applyOverride(assignment);
    return run::readRunConfig(reader, common::pathsRelativeTo("/base"));
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
        run::RunConfig config = read(kMinimal);
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
        run::RunConfig config =
            read(kMinimal, {"train.precision=\"bf16\"", "schedule.kind=\"wsd\"", "optim.lr=1.5e-3",
                            "train.sequence_length=64", "checkpoint.keep_best=false",
                            "model.attention.kind=\"mla\"", "train.device=\"cuda:1\""});
        std::string text = run::runConfigText(config);
        run::RunConfig again = read(text);
        QCOMPARE(run::runConfigText(again), text);
        QCOMPARE(again.train.precision, run::Precision::Bf16);
        QCOMPARE(again.schedule.kind, run::ScheduleKind::WarmupStableDecay);
        QVERIFY(again.model == config.model);
    }

    void defaultTextDocumentsEveryKey() {
        // Reading the default text with its data paths filled in uses every key it lists.
        std::string text = run::defaultRunConfigText();
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
            << "train.precision=\"fp4\""
            << "key 'train.precision' must be \"auto\", \"fp32\", \"bf16\", \"fp16\" or \"fp8\"";
        QTest::newRow("fp8 recipe") << "fp8.recipe=\"perchannel\""
                                    << "key 'fp8.recipe' must be \"tensorwise\", \"delayed\", "
                                       "\"rowwise\" or \"blockwise\"";
        QTest::newRow("fp8 gradients")
            << "fp8.grad_format=\"e3m4\""
            << "key 'fp8.grad_format' must be \"auto\", \"e4m3\" or \"e5m2\"";
        QTest::newRow("amax history") << "fp8.amax_history=0"
                                      << "key 'fp8.amax_history' must be between 1 and 1024";
        QTest::newRow("amax compute") << "fp8.amax_compute=\"mean\""
                                      << "key 'fp8.amax_compute' must be \"max\" or";
        QTest::newRow("margin") << "fp8.margin=-1"
                                << "key 'fp8.margin' must be between 0 and 16";
        QTest::newRow("loss scale") << "fp16.initial_scale=0.0"
                                    << "key 'fp16.initial_scale' must be positive";
        QTest::newRow("growth") << "fp16.growth_factor=1.0"
                                << "key 'fp16.growth_factor' must be greater than 1";
        QTest::newRow("backoff") << "fp16.backoff_factor=1.5"
                                 << "key 'fp16.backoff_factor' must be between 0 and 1";
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

    void lowPrecisionIsForPretraining() {
        const std::string sft = "[train]\nstage = \"sft\"\n[data]\ntrain = \"chats.jsonl\"\n";
        QVERIFY(!errorOf(sft).contains("train.precision"));  // (it lacks init.model)
        for (const char* precision : {"fp16", "fp8"}) {
            QString error = errorOf(sft, {std::string("train.precision=\"") + precision + "\""});
            QVERIFY2(error.contains("key 'train.precision' must be \"auto\", \"fp32\" or "
                                    "\"bf16\" in an alignment stage"),
                     qPrintable(error));
        }
        run::RunConfig config =
            read(kMinimal, {"train.precision=\"fp8\"", "fp8.recipe=\"delayed\"",
                            "fp8.grad_format=\"e4m3\"", "fp16.growth_interval=50"});
        QCOMPARE(config.train.precision, run::Precision::Fp8);
        QCOMPARE(config.fp8.recipe, run::Fp8Recipe::Delayed);
        QCOMPARE(config.fp8.gradFormat, run::Fp8GradFormat::E4M3);
        QCOMPARE(config.fp16.growthInterval, 50);
        QVERIFY(run::runConfigText(config).find("recipe = \"delayed\"") != std::string::npos);
    }

    // "auto" gradients: E5M2 under one scale per tensor, E4M3 under finer scales; a format
    // named in the config is kept whatever the recipe.
    void fp8GradientFormatFollowsTheRecipe() {
        run::Fp8Config config;
        auto formatUnder = [&](run::Fp8Recipe recipe) {
            config.recipe = recipe;
            return run::fp8GradFormat(config);
        };
        QCOMPARE(formatUnder(run::Fp8Recipe::Tensorwise), run::Fp8Format::E5M2);
        QCOMPARE(formatUnder(run::Fp8Recipe::Delayed), run::Fp8Format::E5M2);
        QCOMPARE(formatUnder(run::Fp8Recipe::Rowwise), run::Fp8Format::E4M3);
        QCOMPARE(formatUnder(run::Fp8Recipe::Blockwise), run::Fp8Format::E4M3);
        config.gradFormat = run::Fp8GradFormat::E5M2;
        QCOMPARE(formatUnder(run::Fp8Recipe::Blockwise), run::Fp8Format::E5M2);
    }

    void ranksReadDisjointSlicesOfOneProcessBatch() {
        run::RunConfig config =
            read(kMinimal, {"train.micro_batch_size=8", "train.grad_accum_steps=2"});
        for (int worldSize : {1, 2, 4, 8}) {
            const int slice = 8 / worldSize;
            // Steps 0..2, both micro-batches: the slices tile one process's micro-batch exactly.
            std::vector<int> reads(3 * 2 * 8, 0);
            for (int64_t step = 0; step < 3; ++step)
                for (int micro = 0; micro < 2; ++micro)
                    for (int rank = 0; rank < worldSize; ++rank) {
                        const uint64_t first = config.firstSequence(step, micro, rank, worldSize);
                        QVERIFY(first >= config.firstSequence(step, micro, 0, 1));
                        QVERIFY(first + slice <= config.firstSequence(step, micro, 0, 1) + 8);
                        for (int i = 0; i < slice; ++i)
                            ++reads[first + uint64_t(i)];
                    }
            QCOMPARE(std::count(reads.begin(), reads.end(), 1), qsizetype(reads.size()));
        }
    }

    void expertsMustSplitAcrossTheRanks() {
        auto splitError = [](const run::RunConfig& config, int worldSize) {
            try {
                run::requireRunSplitsAcross(config, worldSize);
            } catch (const common::Error& error) {
                return QString::fromUtf8(error.what());
            }
            return QString();
        };
        run::RunConfig config =
            read(kMinimal, {"train.micro_batch_size=12", "model.moe.num_routed_experts=8"});
        QCOMPARE(splitError(config, 4), QString());
        QVERIFY(splitError(config, 5).contains("train.micro_batch_size = 12"));
        config.dist.expertParallel = true;
        QCOMPARE(splitError(config, 4), QString());
        QCOMPARE(splitError(config, 3),
                 QString("model.moe.num_routed_experts = 8 does not split evenly across the 3 "
                         "processes of the run (dist.expert_parallel); make it a multiple of 3 or "
                         "turn expert parallelism off"));
    }

    void fileErrorsNameTheLine() {
        QString error = errorOf(std::string(kMinimal) + "[train]\nmax_steps = -1\n");
        QVERIFY2(error.contains("run.toml:5: key 'train.max_steps' must be positive"),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestRunConfig)
#include "tst_run_config.moc"
