#include "ui/home/pipeline_state.h"

#include "core/common/config_reader.h"
#include "core/common/human_units.h"
#include "core/model_spec/model_config.h"
#include "core/model_spec/model_size.h"
#include "core/run/metric_keys.h"
#include "core/store/label_store.h"
#include "core/store/run_catalog.h"
#include "core/store/workspace_files.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

// How many of the newest runs the evaluate stage looks through for a held-out measure.
constexpr size_t kRunsSearchedForEvaluation = 50;

// Before any file's time.
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// A folder's entries by name.
using Entries = std::map<std::string, store::FolderEntry>;

QString number(int64_t value) {
    return QLocale().toString(qlonglong(value));
}

QString percent(double share) {
    return QString::number(100.0 * share, 'f', 1);
}

// The names, the first three of them and how many more.
QString nameList(const QStringList& names) {
    QStringList shown = names.mid(0, 3);
    if (names.size() > 3) shown << QString("+%1").arg(names.size() - 3);
    return shown.join(", ");
}

// A dataset folder as the Data page and `strata-cli demo` write it.
struct DatasetInfo {
    QString name;
    bool cleaned = false;
    bool sharded = false;
    int64_t documentsRead = -1;  // funnel.json
    int64_t documentsKept = -1;
    int64_t tokens = -1;    // shards/manifest.json, both splits
    std::string tokenizer;  // the tokenizer the shards were made with
    int64_t vocabSize = -1;
    int64_t time = kNoTime;  // of the newest of its files, in nanoseconds since 1970
};

// A model folder of the workspace (an imported model, `strata-cli import -o models/NAME`).
struct ModelInfo {
    QString name;
    std::string folder;       // as the workspace's files name it
    QString family;           // "llama", ...; empty for a model Strata designed
    uint64_t parameters = 0;  // 0 when model.toml cannot be read
};

class StageReader {
    Q_DECLARE_TR_FUNCTIONS(PipelineState)

public:
    explicit StageReader(const PipelineSources& sources)
        : m_files(sources.files), m_history(sources.runs), m_counts(sources.labels) {}

    std::vector<StageState> read() {
        m_runs = m_history.listRuns();  // newest first
        m_datasets = readDatasets();
        m_models = readModels();
        m_sampleTasks = entriesOf("datasets/sample-tasks");
        return {data(),   tokenizer(), pretrain(), sft(),        labels(),
                reward(), policy(),    evaluate(), exportStage()};
    }

private:
    QString text(const std::string& path) const {
        return QString::fromStdString(m_files.shownPath(path));
    }

    // The entries of a folder of the workspace; none when it cannot be listed: a stage with a
    // file it cannot read shows less, it does not fail.
    Entries entriesOf(const std::string& folder) const {
        Entries entries;
        try {
            for (store::FolderEntry& entry : m_files.list(folder))
                entries.emplace(entry.name, std::move(entry));
        } catch (const std::exception&) {
        }
        return entries;
    }

    // The folders directly under `folder`, by name.
    std::vector<std::string> subfolders(const std::string& folder) const {
        std::vector<std::string> names;
        for (const auto& [name, entry] : entriesOf(folder))
            if (entry.folder) names.push_back(name);
        return names;
    }

    // A JSON object file, or an empty object when it is missing or not one.
    QJsonObject readJsonObject(const std::string& path) const {
        try {
            return QJsonDocument::fromJson(QByteArray::fromStdString(m_files.read(path))).object();
        } catch (const std::exception&) {
            return {};
        }
    }

    static int64_t timeOf(const Entries& entries, const std::string& name) {
        auto found = entries.find(name);
        return found == entries.end() ? kNoTime : found->second.modifiedNanoseconds;
    }

    static StageState begin(PipelineStage stage, const QString& title) {
        StageState state;
        state.stage = stage;
        state.id = pipelineStageId(stage);
        state.title = title;
        return state;
    }

    static StageAction showPage(StudioPage page, const QString& text) {
        StageAction action;
        action.kind = StageAction::Kind::ShowPage;
        action.page = page;
        action.text = text;
        return action;
    }

    static StageAction newConfig(const QString& stage, const QString& text,
                                 QMap<QString, QString> values = {}) {
        StageAction action;
        action.kind = StageAction::Kind::NewConfig;
        action.page = StudioPage::Train;
        action.stage = stage;
        action.values = std::move(values);
        action.text = text;
        return action;
    }

    std::vector<store::RunRecord> runsOf(std::initializer_list<const char*> stages) const {
        std::vector<store::RunRecord> found;
        for (const store::RunRecord& run : m_runs)
            for (const char* stage : stages)
                if (run.stage == stage) found.push_back(run);
        return found;
    }

    // The last value of a run's metric, NaN when it has none.
    double lastValue(int64_t runId, const std::string& key) {
        std::vector<store::SeriesBucket> buckets =
            m_history.series(runId, key, 0, std::numeric_limits<int64_t>::max(), 1);
        return buckets.empty() ? NAN : buckets.back().lastValue;
    }

    // The runs of a stage: the newest is the latest run; the status follows the newest run
    // unless an earlier one finished (Completed, or Stopped with its checkpoint).
    static void applyRuns(StageState& state, const std::vector<store::RunRecord>& runs) {
        state.numItems += int(runs.size());
        if (runs.empty()) return;
        const store::RunRecord& latest = runs.front();
        state.latestRun = StageRun{latest.id, QString::fromStdString(latest.shownName()),
                                   QString::fromStdString(latest.stage), latest.state};
        bool finished = std::any_of(runs.begin(), runs.end(), [](const store::RunRecord& run) {
            return run.state == store::RunState::Completed || run.state == store::RunState::Stopped;
        });
        if (!store::hasEnded(latest.state))
            state.status = StageStatus::InProgress;
        else if (finished)
            state.status = StageStatus::Done;
        else
            state.status = StageStatus::Failed;
    }

    // The latest run's loss: validation when it has one, else the last training step's.
    void lossHeadline(StageState& state) {
        if (!state.latestRun) return;
        const int64_t id = state.latestRun->id;
        double validation = lastValue(id, run::validationKey(run::kMetricLoss));
        if (!std::isnan(validation)) {
            state.headlineValue = validation;
            state.headline = tr("validation loss %1").arg(validation, 0, 'f', 3);
            return;
        }
        double loss = lastValue(id, run::kMetricLoss);
        if (std::isnan(loss)) return;
        state.headlineValue = loss;
        state.headline = tr("final loss %1").arg(loss, 0, 'f', 3);
    }

    // The latest run's accuracy on held-out pairs, or on the training pairs.
    void accuracyHeadline(StageState& state) {
        const int64_t id = state.latestRun->id;
        double heldOut = lastValue(id, run::validationKey(run::kMetricAccuracy));
        if (!std::isnan(heldOut)) {
            state.headlineValue = heldOut;
            state.headline = tr("%1% accuracy on held-out pairs").arg(percent(heldOut));
            return;
        }
        double accuracy = lastValue(id, run::kMetricAccuracy);
        if (std::isnan(accuracy)) return;
        state.headlineValue = accuracy;
        state.headline = tr("%1% accuracy").arg(percent(accuracy));
    }

    std::vector<DatasetInfo> readDatasets() const {
        std::vector<DatasetInfo> datasets;
        for (const std::string& name : subfolders("datasets")) {
            DatasetInfo dataset;
            dataset.name = QString::fromStdString(name);
            const std::string folder = "datasets/" + name;
            const Entries files = entriesOf(folder);
            const Entries shards =
                files.contains("shards") ? entriesOf(folder + "/shards") : Entries();
            dataset.cleaned = files.contains("clean.jsonl.zst");
            dataset.sharded = shards.contains("manifest.json");
            // Label snapshots and task sets live in datasets/ too; only a corpus has these.
            if (!dataset.cleaned && !dataset.sharded && !files.contains("sources.txt")) continue;
            dataset.time = timeOf(files, "clean.jsonl.zst");
            const QJsonObject funnel = files.contains("funnel.json")
                                           ? readJsonObject(folder + "/funnel.json")
                                           : QJsonObject();
            if (!funnel.isEmpty()) {
                dataset.documentsRead = funnel["input"]["documents"].toInteger(-1);
                dataset.documentsKept = funnel["output"]["documents"].toInteger(-1);
            }
            if (dataset.sharded) {
                const QJsonObject manifest = readJsonObject(folder + "/shards/manifest.json");
                const QJsonObject report = manifest["report"].toObject();
                if (!report.isEmpty())
                    dataset.tokens = report["train"]["tokens"].toInteger() +
                                     report["validation"]["tokens"].toInteger();
                dataset.tokenizer = manifest["tokenizer"]["path"].toString().toStdString();
                dataset.vocabSize = manifest["tokenizer"]["vocab_size"].toInteger(-1);
                dataset.time = std::max(dataset.time, timeOf(shards, "manifest.json"));
            }
            datasets.push_back(dataset);
        }
        return datasets;
    }

    std::vector<ModelInfo> readModels() const {
        std::vector<ModelInfo> models;
        for (const std::string& name : subfolders("models")) {
            const std::string folder = "models/" + name;
            if (!entriesOf(folder).contains("model.toml")) continue;
            ModelInfo model;
            model.name = QString::fromStdString(name);
            model.folder = folder;
            try {
                const std::string config = folder + "/model.toml";
                common::ConfigReader reader = common::ConfigReader::fromString(
                    m_files.read(config), m_files.shownPath(config));
                model_spec::ModelConfig read = model_spec::readModelConfig(reader);
                if (read.family != model_spec::ModelFamily::Strata)
                    model.family = model_spec::kModelFamilyNames[int(read.family)];
                model.parameters = model_spec::countParameters(read).total();
            } catch (const std::exception&) {
                // A model this build cannot read is still listed, by name.
            }
            models.push_back(model);
        }
        return models;
    }

    StageState data() {
        StageState state = begin(PipelineStage::Data, tr("Data"));
        state.action = showPage(StudioPage::Data, tr("Open the Data Page"));
        QStringList names;
        const DatasetInfo* newest = nullptr;
        for (const DatasetInfo& dataset : m_datasets) {
            if (!dataset.cleaned && !dataset.sharded) continue;
            names << dataset.name;
            if (!newest || dataset.time > newest->time) newest = &dataset;
        }
        state.numItems = int(names.size());
        if (!newest) {
            state.summary =
                m_datasets.empty()
                    ? tr("Raw text cleaned into a corpus and cut into token shards.")
                    : tr("Sources listed for %1; not cleaned yet.").arg(m_datasets.front().name);
            state.action.text = tr("Clean a Dataset");
            return state;
        }
        state.status = StageStatus::Done;
        state.summary = tr("%n dataset(s): %1", "", int(names.size())).arg(nameList(names));
        if (newest->tokens >= 0) {
            state.headlineValue = double(newest->tokens);
            state.headline = tr("%1 tokens in shards")
                                 .arg(QString::fromStdString(common::humanCount(newest->tokens)));
        } else if (newest->documentsKept >= 0 && newest->documentsRead >= 0) {
            state.headlineValue = double(newest->documentsKept);
            state.headline = tr("%1 of %2 documents kept")
                                 .arg(number(newest->documentsKept))
                                 .arg(number(newest->documentsRead));
        }
        return state;
    }

    StageState tokenizer() {
        StageState state = begin(PipelineStage::Tokenizer, tr("Tokenizer"));
        state.action = showPage(StudioPage::Tokenizer, tr("Open the Tokenizer Page"));
        QStringList names;
        std::string newest;
        int64_t newestTime = kNoTime;
        for (const std::string& name : subfolders("tokenizers")) {
            const Entries files = entriesOf("tokenizers/" + name);
            if (!files.contains("tokenizer.json")) continue;
            names << QString::fromStdString(name);
            const int64_t time = timeOf(files, "tokenizer.json");
            if (newest.empty() || time > newestTime) {
                newest = "tokenizers/" + name + "/tokenizer.json";
                newestTime = time;
            }
        }
        state.numItems = int(names.size());
        if (names.isEmpty()) {
            state.summary = tr("Byte-level BPE that turns text into the ids a model reads.");
            state.action.text = tr("Train a Tokenizer");
            return state;
        }
        state.status = StageStatus::Done;
        state.summary = tr("%n tokenizer(s): %1", "", int(names.size())).arg(nameList(names));
        // Its vocabulary size as recorded with a shard set, without parsing the whole file.
        int64_t vocabSize = -1;
        const std::string wanted = m_files.shownPath(newest);
        for (const store::DatasetRecord& record : m_history.tokenizers())
            if (m_files.shownPath(record.path) == wanted)
                vocabSize = QJsonDocument::fromJson(QByteArray::fromStdString(record.statsJson))
                                .object()["vocab_size"]
                                .toInteger(-1);
        for (const DatasetInfo& dataset : m_datasets)
            if (vocabSize < 0 && !dataset.tokenizer.empty() &&
                m_files.shownPath(dataset.tokenizer) == wanted)
                vocabSize = dataset.vocabSize;
        if (vocabSize > 0) {
            state.headlineValue = double(vocabSize);
            state.headline = tr("%1 tokens in its vocabulary").arg(number(vocabSize));
        }
        return state;
    }

    StageState pretrain() {
        StageState state = begin(PipelineStage::Pretrain, tr("Pretrain or import"));
        state.action = newConfig("pretrain", tr("Start Pretraining…"));
        std::vector<store::RunRecord> runs = runsOf({"pretrain"});
        applyRuns(state, runs);
        lossHeadline(state);
        QStringList parts;
        if (!m_models.empty()) {
            const ModelInfo& model = m_models.front();
            const QString parameters =
                model.parameters > 0
                    ? tr("%1 parameters")
                          .arg(QString::fromStdString(common::humanCount(double(model.parameters))))
                    : QString();
            // Its size is the headline unless a pretraining run has one; then the summary says it.
            const bool sizeIsHeadline = state.headline.isEmpty() && !parameters.isEmpty();
            if (sizeIsHeadline) {
                state.headlineValue = double(model.parameters);
                state.headline = parameters;
            }
            QStringList about;
            if (!model.family.isEmpty()) about << model.family;
            if (!sizeIsHeadline && !parameters.isEmpty()) about << parameters;
            QString shown =
                about.isEmpty() ? model.name : QString("%1 (%2)").arg(model.name, about.join(", "));
            if (m_models.size() > 1) shown += QString(" +%1").arg(m_models.size() - 1);
            parts << tr("imported: %1").arg(shown);
            state.numItems += int(m_models.size());
            // An imported model is a starting point whatever a pretraining run did.
            if (state.status != StageStatus::InProgress) state.status = StageStatus::Done;
        }
        if (!runs.empty()) parts << tr("%n pretraining run(s)", "", int(runs.size()));
        state.summary = parts.isEmpty()
                            ? tr("A model trained from scratch on the shards, or an open model "
                                 "imported from Hugging Face or GGUF.")
                            : parts.join(" · ");
        return state;
    }

    StageState sft() {
        StageState state = begin(PipelineStage::Sft, tr("SFT"));
        QMap<QString, QString> values;
        const std::string demonstrations = "datasets/sample-tasks/sft.jsonl";
        if (m_sampleTasks.contains("sft.jsonl")) values["data.train"] = text(demonstrations);
        state.action = newConfig("sft", tr("Start SFT…"), values);
        // Nothing pretrained here: the imported model is what fine-tuning starts from, through
        // the Fine-tune dialog.
        if (runsOf({"pretrain"}).empty() && !m_models.empty()) {
            state.action.values["init.model"] = text(m_models.front().folder);
            state.action.kind = StageAction::Kind::FineTune;
            state.action.text = tr("Fine-tune…");
        }
        std::vector<store::RunRecord> runs = runsOf({"sft"});
        applyRuns(state, runs);
        lossHeadline(state);
        state.summary = runs.empty()
                            ? tr("Supervised fine-tuning on conversations or solved examples.")
                            : tr("%n SFT run(s)", "", int(runs.size()));
        return state;
    }

    StageState labels() {
        StageState state = begin(PipelineStage::Labels, tr("Labels"));
        const store::LabelCounts& counts = m_counts;
        state.numItems = int(counts.numPairs);
        if (counts.numPairs == 0) {
            state.summary = tr("People choose the better of two answers to one prompt.");
            state.action = showPage(StudioPage::Labeling, tr("Add Pairs"));
            return state;
        }
        state.action = showPage(StudioPage::Labeling, tr("Label Pairs"));
        // A reward model or DPO can learn from the first A or B decision.
        if (counts.numA + counts.numB > 0) state.status = StageStatus::Done;
        state.summary = tr("%n pair(s) in the queue", "", int(counts.numPairs));
        state.headlineValue = double(counts.numLabeledPairs);
        state.headline = tr("%1 of %2 pairs labeled")
                             .arg(number(counts.numLabeledPairs))
                             .arg(number(counts.numPairs));
        return state;
    }

    StageState reward() {
        StageState state = begin(PipelineStage::Reward, tr("Reward model"));
        state.action.kind = StageAction::Kind::TrainRewardModel;
        state.action.page = StudioPage::Train;
        state.action.text = tr("Train a Reward Model…");
        std::vector<store::RunRecord> runs = runsOf({"reward"});
        applyRuns(state, runs);
        if (state.latestRun) accuracyHeadline(state);
        state.summary = runs.empty()
                            ? tr("Learns to score answers as the labels do, for PPO and GRPO.")
                            : tr("%n reward run(s)", "", int(runs.size()));
        return state;
    }

    StageState policy() {
        StageState state = begin(PipelineStage::Policy, tr("DPO, PPO or GRPO"));
        // GRPO on the sample tasks where there are tasks or no preferences; DPO on the newest
        // labels snapshot otherwise.
        const std::string tasks = "datasets/sample-tasks/tasks.jsonl";
        const bool hasTasks = m_sampleTasks.contains("tasks.jsonl");
        if (hasTasks || m_counts.numA + m_counts.numB == 0) {
            QMap<QString, QString> values;
            if (hasTasks) values["data.train"] = text(tasks);
            state.action = newConfig("grpo", tr("Start GRPO…"), values);
        } else {
            QMap<QString, QString> values;
            std::string newest;
            // labels-YYYYmmdd-HHMMSS.jsonl: the name sorts by time.
            for (const auto& [name, entry] : entriesOf("datasets/labels"))
                if (!entry.folder && name.ends_with(".jsonl")) newest = name;
            if (!newest.empty()) values["data.train"] = text("datasets/labels/" + newest);
            state.action = newConfig("dpo", tr("Start DPO…"), values);
        }
        std::vector<store::RunRecord> runs = runsOf({"dpo", "ppo", "grpo"});
        applyRuns(state, runs);
        if (state.latestRun) {
            const int64_t id = state.latestRun->id;
            if (state.latestRun->stage == "dpo") {
                accuracyHeadline(state);
            } else {
                double exactMatch = lastValue(id, run::validationKey(run::kMetricExactMatch));
                double reward = lastValue(id, run::kMetricReward);
                if (!std::isnan(exactMatch)) {
                    state.headlineValue = exactMatch;
                    state.headline = tr("%1% held-out exact match").arg(percent(exactMatch));
                } else if (!std::isnan(reward)) {
                    state.headlineValue = reward;
                    state.headline = tr("mean reward %1").arg(reward, 0, 'f', 3);
                }
            }
        }
        std::set<std::string> stages;
        for (const store::RunRecord& run : runs)
            stages.insert(run.stage);
        QStringList used;
        for (const std::string& stage : stages)
            used << QString::fromStdString(stage).toUpper();
        state.summary = runs.empty()
                            ? tr("Optimizes the model for what people and rules prefer.")
                            : tr("%n run(s): %1", "", int(runs.size())).arg(used.join(", "));
        return state;
    }

    StageState evaluate() {
        StageState state = begin(PipelineStage::Evaluate, tr("Evaluate"));
        state.action = showPage(StudioPage::Playground, tr("Try It in the Playground"));
        state.summary = tr("Held-out exact match on tasks, measured by PPO and GRPO runs.");
        const std::string key = run::validationKey(run::kMetricExactMatch);
        size_t searched = 0;
        for (const store::RunRecord& run : m_runs) {
            if (++searched > kRunsSearchedForEvaluation) break;
            double exactMatch = lastValue(run.id, key);
            if (std::isnan(exactMatch)) continue;
            state.status = StageStatus::Done;
            state.numItems = 1;
            state.latestRun = StageRun{run.id, QString::fromStdString(run.shownName()),
                                       QString::fromStdString(run.stage), run.state};
            state.headlineValue = exactMatch;
            state.headline = tr("%1% held-out exact match").arg(percent(exactMatch));
            break;
        }
        return state;
    }

    StageState exportStage() {
        StageState state = begin(PipelineStage::Export, tr("Export"));
        state.action = showPage(StudioPage::Runs, tr("Export from the Runs Page"));
        state.summary = tr("A Hugging Face folder or GGUF file, for other tools and Ollama.");
        // The newest run with a checkpoint is what one exports next.
        for (const store::RunRecord& run : m_runs) {
            std::vector<store::CheckpointRow> checkpoints = m_history.checkpoints(run.id);
            if (checkpoints.empty()) continue;
            state.numItems = int(checkpoints.size());
            state.latestRun = StageRun{run.id, QString::fromStdString(run.shownName()),
                                       QString::fromStdString(run.stage), run.state};
            state.summary =
                tr("%n checkpoint(s) of the newest run to export", "", int(checkpoints.size()));
            break;
        }
        return state;
    }

    store::WorkspaceFiles& m_files;
    store::RunCatalog& m_history;
    std::vector<store::RunRecord> m_runs;
    std::vector<DatasetInfo> m_datasets;
    std::vector<ModelInfo> m_models;
    Entries m_sampleTasks;  // datasets/sample-tasks: `strata-cli demo`'s demonstrations and tasks
    store::LabelCounts m_counts;
};

}  // namespace

const char* pipelineStageId(PipelineStage stage) {
    static constexpr const char* kIds[kNumPipelineStages] = {
        "data", "tokenizer", "pretrain", "sft", "labels", "reward", "policy", "evaluate", "export"};
    return kIds[int(stage)];
}

PipelineState PipelineState::read(const PipelineSources& sources) {
    PipelineState state;
    state.m_stages = StageReader(sources).read();
    return state;
}

PipelineState PipelineState::read(const fs::path& workspace, store::RunHistory& history,
                                  store::LabelStore& labels) {
    store::LocalWorkspaceFiles files(workspace);
    store::LocalRunCatalog runs(history, workspace);
    return read({files, runs, labels.counts()});
}

const StageState& PipelineState::stage(PipelineStage stage) const {
    return m_stages.at(size_t(stage));
}

PipelineStage PipelineState::next() const {
    int last = -1;
    for (int i = 0; i < int(m_stages.size()); ++i)
        if (m_stages[size_t(i)].status == StageStatus::Done ||
            m_stages[size_t(i)].status == StageStatus::InProgress)
            last = i;
    for (int i = last + 1; i < int(m_stages.size()); ++i)
        if (m_stages[size_t(i)].status != StageStatus::Done) return PipelineStage(i);
    return PipelineStage::Export;
}

QString PipelineState::statusText(StageStatus status) {
    switch (status) {
        case StageStatus::Todo:
            return tr("to do");
        case StageStatus::InProgress:
            return tr("running");
        case StageStatus::Done:
            return tr("done");
        case StageStatus::Failed:
            return tr("failed");
    }
    return {};
}

}  // namespace strata::ui
