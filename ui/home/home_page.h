// The Home page, the first one a workspace opens on: the training pipeline as a flow of stage
// cards (PipelineState: data → tokenizer → pretrain or import → SFT → labels → reward model →
// DPO/PPO/GRPO → evaluate → export), each with its state in this workspace, what exists, the
// latest run (a link that shows it on the Train page), its headline number and the next action as
// a button; the stage to do next is outlined. Under the flow, the sample pipelines: pretraining a
// tiny model from scratch, and fine-tuning the real model. The page only asks: each button emits
// what it wants done and the window does it on the page that owns it. It re-reads the workspace
// when shown and when the main window refreshes it; a history that cannot be read is said in its
// message line. The workspace may be on another host, read through its worker.
#pragma once

#include "core/store/label_store.h"
#include "core/store/run_catalog.h"
#include "core/store/run_history.h"
#include "core/store/workspace_files.h"
#include "ui/common/error_reporter.h"
#include "ui/home/pipeline_state.h"

#include <QMap>
#include <QWidget>

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

class QFrame;
class QGridLayout;
class QLabel;
class QPushButton;
class QScrollArea;

namespace strata::ui {

class HomePage : public QWidget {
    Q_OBJECT

public:
    // A page on a workspace of this machine. Opens its label store (throws as LabelStore does
    // when it cannot be opened).
    HomePage(store::RunHistory& history, const std::filesystem::path& workspace,
             QWidget* parent = nullptr);
    // A page on the workspace these reach: a host's, through its worker, read when the page is
    // shown. The sample pipelines, which run on this machine, are hidden.
    HomePage(store::RunCatalog& runs, std::shared_ptr<store::WorkspaceFiles> files,
             std::function<store::LabelCounts()> labelCounts, QWidget* parent = nullptr);
    ~HomePage() override;

    // Re-reads the workspace into the cards. The main window calls it while the page is shown; the
    // page calls it itself when it is shown again.
    void reload();
    const PipelineState& state() const { return m_state; }
    // Disables the sample pipelines' buttons while one of them runs.
    void setSamplesRunning(bool running);
    QString message() const;

signals:
    void pageRequested(strata::ui::StudioPage page);
    // New Config… on the Train page for `stage`, with these config keys set.
    void newConfigRequested(const QString& stage, const QMap<QString, QString>& values);
    // The Fine-tune dialog, with these config keys preset (init.model, data.train).
    void fineTuneRequested(const QMap<QString, QString>& values);
    // The labels so far snapshotted into a reward run's config (Train Reward Model…).
    void rewardModelRequested();
    // A stage's latest run, to show on the Train page.
    void runRequested(qint64 runId);
    // Clean → tokenizer → shard → pretrain a tiny model, stage by stage on the pages.
    void samplePipelineRequested();
    // `strata-cli demo finetune`: the imported model measured, fine-tuned (LoRA SFT, then GRPO)
    // and measured again after each stage.
    void fineTuneSampleRequested();

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Card {
        QFrame* frame;
        QLabel* status;
        QLabel* summary;
        QLabel* run;
        QLabel* headline;
        QPushButton* action;
        QLabel* arrow;  // to the next card; none after the last
    };

    // The cards and buttons, with nothing read yet.
    explicit HomePage(QWidget* parent);
    Card makeCard(int index);
    void showState();
    void act(PipelineStage stage);
    // Puts the cards in rows as wide as the page allows, an arrow between neighbours in a row.
    void layoutCards();

    std::unique_ptr<store::LocalRunCatalog> m_localRuns;  // a workspace of this machine's
    std::unique_ptr<store::LabelStore> m_localLabels;
    store::RunCatalog* m_runs = nullptr;
    std::shared_ptr<store::WorkspaceFiles> m_files;
    std::function<store::LabelCounts()> m_labelCounts;
    PipelineState m_state;
    std::vector<Card> m_cards;
    QScrollArea* m_scroll;
    QGridLayout* m_grid;
    int m_columns = 0;  // cards per row as last laid out
    QPushButton* m_pretrainSample;
    QPushButton* m_fineTuneSample;
    QWidget* m_samples;
    QLabel* m_message;
    ErrorReporter m_errors;  // into the message line
};

}  // namespace strata::ui
