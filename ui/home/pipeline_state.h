// The training pipeline as one workspace stands, stage by stage: data → tokenizer → pretrain or
// import → SFT → labels → reward model → DPO/PPO/GRPO → evaluate → export. For each stage, what
// exists, the latest run of it with its headline number (final loss, accuracy, held-out exact
// match, labeled pairs) and the action that comes next. Everything is read from what is there,
// nothing is recorded apart: the workspace's folders (datasets/, tokenizers/, models/), its run
// history and its preference labels. No widgets and no signals: the Home page draws it and says
// what its buttons ask for; the tests read it directly.
#pragma once

#include "core/store/run_history.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace strata::store {
class LabelStore;
class RunCatalog;
class WorkspaceFiles;
struct LabelCounts;
}  // namespace strata::store

namespace strata::ui {

// The studio's pages, in the page list's order.
enum class StudioPage { Home, Data, Tokenizer, Model, Train, Labeling, Runs, Playground };

enum class PipelineStage {
    Data,
    Tokenizer,
    Pretrain,
    Sft,
    Labels,
    Reward,
    Policy,
    Evaluate,
    Export
};
inline constexpr int kNumPipelineStages = 9;
// "data", "tokenizer", "pretrain", "sft", "labels", "reward", "policy", "evaluate", "export": the
// stage's name in object names and tests.
const char* pipelineStageId(PipelineStage stage);

enum class StageStatus {
    Todo,        // nothing of it yet (or nothing the next stage can use)
    InProgress,  // its latest run has not ended
    Done,        // it has what the next stages need
    Failed,      // its latest run failed or was interrupted, and nothing of it is usable
};

// What a stage's button asks for.
struct StageAction {
    enum class Kind {
        ShowPage,          // switch to `page`
        NewConfig,         // the Train page's New Config for `stage`, with `values` set
        TrainRewardModel,  // snapshot the labels into a reward run's config (the Labeling flow)
        FineTune,          // the Fine-tune dialog, with `values` (init.model, data.train) preset
    };
    Kind kind = Kind::ShowPage;
    StudioPage page = StudioPage::Home;
    QString stage;                  // NewConfig: "pretrain", "sft", "dpo", "grpo"
    QMap<QString, QString> values;  // NewConfig, FineTune: config keys to set (data.train, ...)
    QString text;                   // the button's text
};

struct StageRun {
    int64_t id = 0;
    QString name;   // as people see it: the title, or the run's name
    QString stage;  // "pretrain", "sft", ...
    store::RunState state = store::RunState::Created;
};

struct StageState {
    PipelineStage stage = PipelineStage::Data;
    QString id;     // pipelineStageId(stage)
    QString title;  // "Data", "Tokenizer", "Pretrain or import", ...
    StageStatus status = StageStatus::Todo;
    // What the stage holds: datasets, tokenizers, models and runs, pairs, runs.
    int numItems = 0;
    // What exists, in a line; what the stage is for while it is empty.
    QString summary;
    std::optional<StageRun> latestRun;
    double headlineValue = NAN;  // the headline's number; NaN when there is none
    QString headline;            // "final loss 2.314", "42.5% held-out exact match", ...
    StageAction action;
};

// What a workspace's pipeline is read from, here or on a host: its files, its run history and
// the counts of its preference labels.
struct PipelineSources {
    store::WorkspaceFiles& files;
    store::RunCatalog& runs;
    const store::LabelCounts& labels;
};

class PipelineState {
    Q_DECLARE_TR_FUNCTIONS(PipelineState)

public:
    // Reads the workspace. A run history that cannot be read throws what it throws (the caller
    // says so); a file that is missing or unreadable only leaves its stage emptier.
    static PipelineState read(const PipelineSources& sources);
    // A workspace of this machine, with its history and label store.
    static PipelineState read(const std::filesystem::path& workspace, store::RunHistory& history,
                              store::LabelStore& labels);

    const std::vector<StageState>& stages() const { return m_stages; }
    const StageState& stage(PipelineStage stage) const;
    // The stage to do next: the first one not done after the last one done or under way (the
    // data in an empty workspace; SFT once a model is imported).
    PipelineStage next() const;
    // "to do", "running", "done", "failed", for the stage cards.
    static QString statusText(StageStatus status);

private:
    std::vector<StageState> m_stages;
};

}  // namespace strata::ui
