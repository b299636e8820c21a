#include "ui/common/sample_pipeline.h"

#include "core/store/run_history.h"
#include "ui/common/cli_job.h"
#include "ui/data/data_page.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "ui/train/train_page.h"

#include <spdlog/spdlog.h>
#include <toml++/toml.h>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

enum Stage { Prepare, Clean, Tokenizer, Shard, Record, Pretrain };

QString text(const fs::path& path) {
    return QString::fromStdString(path.string());
}

}  // namespace

SamplePipeline::SamplePipeline(fs::path workspace, fs::path localCli, DataPage& dataPage,
                               TokenizerPage& tokenizerPage, TrainPage& trainPage, QObject* parent)
    : QObject(parent),
      m_workspace(std::move(workspace)),
      m_dataPage(dataPage),
      m_tokenizerPage(tokenizerPage),
      m_trainPage(trainPage),
      m_job(new CliJob(std::move(localCli), this)) {
    connect(m_job, &CliJob::finished, this, [this](bool ok, const QString& lastLine) {
        if (running()) stageDone(ok, lastLine);
    });
    connect(&m_dataPage, &DataPage::cleaningFinished, this, [this](bool ok) {
        if (m_stage == Clean) stageDone(ok, m_dataPage.message());
    });
    connect(&m_tokenizerPage, &TokenizerPage::trainingFinished, this, [this](bool ok) {
        if (m_stage == Tokenizer) stageDone(ok, m_tokenizerPage.message());
    });
    connect(&m_trainPage, &TrainPage::runEnded, this, [this](int state, const QString& message) {
        if (m_stage == Pretrain) stageDone(state == int(store::RunState::Completed), message);
    });
}

void SamplePipeline::start() {
    if (running()) return;
    bool prepared = fs::exists(m_workspace / "datasets" / "sample" / "sources.txt") &&
                    fs::exists(m_workspace / "configs" / "clean.toml") &&
                    fs::exists(m_workspace / "configs" / "pretrain.toml");
    runStage(prepared ? Clean : Prepare);
}

void SamplePipeline::cancel() {
    switch (m_stage) {
        case Clean:
            m_dataPage.cancelCleaning();
            break;
        case Tokenizer:
            m_tokenizerPage.cancelTraining();
            break;
        case Pretrain:
            m_trainPage.stopRun();
            break;
        default:
            m_job->cancel();
            break;
    }
}

void SamplePipeline::runStage(int index) {
    m_stage = index;
    fs::path dataset = m_workspace / "datasets" / "sample";
    fs::path cleaned = dataset / "clean.jsonl.zst";
    fs::path tokenizer = m_workspace / "tokenizers" / "sample" / "tokenizer.json";
    fs::path pretrain = m_workspace / "configs" / "pretrain.toml";
    switch (Stage(index)) {
        case Prepare:
            emit stageStarted(index, tr("preparing the sample workspace"), nullptr);
            m_job->start({"demo", "init", "--workspace", text(m_workspace)});
            return;
        case Clean:
            emit stageStarted(index, tr("cleaning"), &m_dataPage);
            m_dataPage.setDataset("sample");
            if (!m_dataPage.loadConfig(text(m_workspace / "configs" / "clean.toml")))
                return stageDone(false, m_dataPage.message());
            m_dataPage.runCleaning();
            if (!m_dataPage.running()) stageDone(false, m_dataPage.message());
            return;
        case Tokenizer: {
            emit stageStarted(index, tr("training the tokenizer"), &m_tokenizerPage);
            // The tokenizer's vocabulary must be the model's: the pretraining config says it.
            int64_t vocabSize = 0;
            try {
                vocabSize =
                    toml::parse_file(pretrain.string())["model"]["vocab_size"].value_or(int64_t{0});
            } catch (const toml::parse_error& error) {
                return stageDone(false, text(pretrain) + ": " + QString::fromUtf8(error.what()));
            }
            if (vocabSize <= 0)
                return stageDone(false, tr("%1: no model.vocab_size").arg(text(pretrain)));
            if (!m_tokenizerPage.trainTokenizer(text(cleaned), "sample", int(vocabSize)))
                stageDone(false, m_tokenizerPage.message());
            return;
        }
        case Shard:
            emit stageStarted(index, tr("sharding"), nullptr);
            m_job->start({"shard", text(cleaned), "--tokenizer", text(tokenizer), "-o",
                          text(dataset / "shards")});
            return;
        case Record:
            emit stageStarted(index, tr("recording the dataset"), nullptr);
            m_job->start(
                {"datasets", "record", text(dataset / "shards"), "--workspace", text(m_workspace)});
            return;
        case Pretrain:
            emit stageStarted(index, tr("pretraining"), &m_trainPage);
            m_trainPage.setConfigPath(text(pretrain));
            if (!m_trainPage.startRun()) stageDone(false, m_trainPage.statusText());
            return;
    }
}

void SamplePipeline::stageDone(bool ok, const QString& failure) {
    int stage = m_stage;
    if (ok && stage + 1 < kStages) return runStage(stage + 1);
    m_stage = -1;
    QString message = ok ? tr("The sample pipeline is done.")
                         : tr("The sample pipeline stopped: %1").arg(failure);
    if (ok)
        spdlog::info("{}", message.toStdString());
    else
        spdlog::warn("{}", message.toStdString());
    emit finished(ok, message);
}

}  // namespace strata::ui
