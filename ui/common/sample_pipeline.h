// The sample pipeline as the studio runs it, one stage after another on the page that owns each,
// so every stage is seen as it happens: the sample workspace prepared when it is not
// (`strata-cli demo init`), cleaning on the Data page (progress, then the funnel), tokenizer
// training on the Tokenizer page, sharding and recording the shard set in the run history, then
// pretraining on the Train page with its live charts, all on this machine.
#pragma once

#include <QObject>
#include <QString>

#include <filesystem>

class QWidget;

namespace strata::ui {

class CliJob;
class DataPage;
class TokenizerPage;
class TrainPage;

class SamplePipeline : public QObject {
    Q_OBJECT

public:
    SamplePipeline(std::filesystem::path workspace, std::filesystem::path localCli,
                   DataPage& dataPage, TokenizerPage& tokenizerPage, TrainPage& trainPage,
                   QObject* parent = nullptr);

    static constexpr int kStages = 6;
    void start();
    // Stops the stage under way (a training run saves a checkpoint first); finished follows.
    void cancel();
    bool running() const { return m_stage >= 0; }

signals:
    // `page` is the page the stage runs on (null for the command-line stages).
    void stageStarted(int index, const QString& name, QWidget* page);
    void finished(bool succeeded, const QString& message);

private:
    void runStage(int index);
    void stageDone(bool ok, const QString& failure);

    std::filesystem::path m_workspace;
    DataPage& m_dataPage;
    TokenizerPage& m_tokenizerPage;
    TrainPage& m_trainPage;
    CliJob* m_job;
    int m_stage = -1;
};

}  // namespace strata::ui
