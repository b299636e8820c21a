// The sample pipeline from the main window, on a small workspace laid out as `strata-cli demo
// init` lays out the sample one: each stage shows its page as it starts, and the end state is
// real: a funnel on the Data page, a tokenizer of the model's vocabulary size, a shard set in the
// run history and a completed pretraining run with metrics. A failing stage stops the pipeline
// with its reason.
#include "core/common/json_writer.h"
#include "core/store/run_history.h"
#include "tests/tiny_data.h"
#include "ui/common/sample_pipeline.h"
#include "ui/data/data_page.h"
#include "ui/main_window.h"
#include "widgets/funnel_chart.h"

#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

class TestSamplePipeline : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    // A workspace with the sample's layout over the tiny corpus and a tiny pretraining config.
    fs::path prepare(const char* name) {
        fs::path root = m_tmp.filePath(name).toStdString();
        fs::path dataset = root / "datasets" / "sample";
        fs::create_directories(dataset);
        fs::create_directories(root / "configs");
        {
            std::ofstream corpus(dataset / "corpus.jsonl");
            for (const std::string& text : tiny::corpus(2000)) {
                std::string line = "{\"text\":";
                common::appendJsonString(line, text);
                corpus << line << "}\n";
            }
        }
        std::ofstream(dataset / "sources.txt") << (dataset / "corpus.jsonl").string() << "\n";
        std::ofstream(root / "configs" / "clean.toml")
            << "[words]\nmin = 3\n\n[near_dedup]\nenabled = false\n";
        std::string config = tiny::kConfig;
        auto replace = [&](const std::string& from, const std::string& to) {
            config.replace(config.find(from), from.size(), to);
        };
        replace("shards = \"shards\"", "shards = \"../datasets/sample/shards\"");
        replace("tokenizer = \"tokenizer.json\"",
                "tokenizer = \"../tokenizers/sample/tokenizer.json\"");
        replace("max_steps = 6", "max_steps = 6\nthreads = 1");
        std::ofstream(root / "configs" / "pretrain.toml") << config;
        return root;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyStageRunsOnItsPage() {
        fs::path root = prepare("sample");
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(root));
        QSignalSpy stages(window.samplePipeline(), &ui::SamplePipeline::stageStarted);
        QSignalSpy finished(window.samplePipeline(), &ui::SamplePipeline::finished);
        auto* pages = window.findChild<QListWidget*>("pageList");
        QStringList shownPages;
        connect(window.samplePipeline(), &ui::SamplePipeline::stageStarted, this,
                [&](int, const QString&, QWidget* page) {
                    if (page) shownPages << pages->currentItem()->text();
                });
        window.runSamplePipeline();
        QVERIFY(finished.wait(240000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
        // The workspace was prepared already: clean, tokenizer, shard, record, pretrain.
        QCOMPARE(stages.size(), ui::SamplePipeline::kStages - 1);
        QCOMPARE(shownPages, (QStringList{"Data", "Tokenizer", "Train"}));

        auto* funnel = window.findChild<ui::DataPage*>()->funnel();
        QCOMPARE(funnel->steps().first().remaining, 2000);
        QVERIFY(fs::exists(root / "tokenizers" / "sample" / "tokenizer.json"));
        store::RunHistory history(root / "strata.db");
        QCOMPARE(history.datasets().size(), size_t(1));
        QCOMPARE(history.datasets()[0].path, std::string("datasets/sample/shards"));
        std::vector<store::RunRecord> runs = history.listRuns();
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].state, store::RunState::Completed);
        QCOMPARE(runs[0].lastStep, 6);
        QVERIFY(!history.series(runs[0].id, "loss", 0, 100, 100).empty());
    }

    void aFailingStageStopsThePipelineWithItsReason() {
        fs::path root = prepare("broken");
        std::ofstream(root / "configs" / "clean.toml") << "[words]\nmin = \"many\"\n";
        ui::MainWindow window(STRATA_CLI);
        window.show();
        QVERIFY(window.openWorkspace(root));
        QSignalSpy finished(window.samplePipeline(), &ui::SamplePipeline::finished);
        window.runSamplePipeline();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(!finished.first().first().toBool());
        QString message = finished.first().last().toString();
        QVERIFY2(message.contains("clean.toml:2: key 'words.min' must be a whole number"),
                 qPrintable(message));
        QVERIFY(!window.samplePipeline()->running());
    }
};

QTEST_MAIN(TestSamplePipeline)
#include "tst_sample_pipeline.moc"
