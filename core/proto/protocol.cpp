#include "core/proto/protocol.h"

#include "core/common/json_writer.h"
#include "core/proto/history_messages.h"
#include "core/proto/label_messages.h"
#include "core/proto/slurm_job.h"
#include "core/run/launch_environment.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>
#include <vector>

namespace strata::proto {

using common::JsonWriter;
using simdjson::dom::element;
using simdjson::dom::object;

namespace {

constexpr std::array<std::pair<RequestKind, const char*>, 47> kRequestNames{{
    {RequestKind::Hello, "hello"},
    {RequestKind::Start, "start"},
    {RequestKind::Pause, "pause"},
    {RequestKind::Resume, "resume"},
    {RequestKind::Stop, "stop"},
    {RequestKind::Status, "status"},
    {RequestKind::ListRuns, "list_runs"},
    {RequestKind::Subscribe, "subscribe"},
    {RequestKind::Unsubscribe, "unsubscribe"},
    {RequestKind::Generate, "generate"},
    {RequestKind::Cancel, "cancel"},
    {RequestKind::LabelClaim, "label_claim"},
    {RequestKind::LabelSubmit, "label_submit"},
    {RequestKind::LabelRelease, "label_release"},
    {RequestKind::LabelImport, "label_import"},
    {RequestKind::LabelExport, "label_export"},
    {RequestKind::LabelStats, "label_stats"},
    {RequestKind::LabelSettings, "label_settings"},
    {RequestKind::LabelUnlabel, "label_unlabel"},
    {RequestKind::LabelDisagreements, "label_disagreements"},
    {RequestKind::LabelAdjudicate, "label_adjudicate"},
    {RequestKind::HistoryRuns, "history_runs"},
    {RequestKind::HistoryDatasets, "history_datasets"},
    {RequestKind::HistoryTokenizers, "history_tokenizers"},
    {RequestKind::HistoryRecordShards, "history_record_shards"},
    {RequestKind::HistoryCheckpointsByRun, "history_checkpoints_by_run"},
    {RequestKind::HistoryRun, "history_run"},
    {RequestKind::HistoryMetricKeys, "history_metric_keys"},
    {RequestKind::HistorySeries, "history_series"},
    {RequestKind::HistorySamples, "history_samples"},
    {RequestKind::HistoryMetricRows, "history_metric_rows"},
    {RequestKind::HistoryCheckpoints, "history_checkpoints"},
    {RequestKind::HistoryLogs, "history_logs"},
    {RequestKind::HistoryRolloutSteps, "history_rollout_steps"},
    {RequestKind::HistoryRollouts, "history_rollouts"},
    {RequestKind::HistoryDiff, "history_diff"},
    {RequestKind::HistoryLineage, "history_lineage"},
    {RequestKind::HistoryDetails, "history_details"},
    {RequestKind::HistoryComments, "history_comments"},
    {RequestKind::HistoryComment, "history_comment"},
    {RequestKind::FilesList, "files_list"},
    {RequestKind::FilesRead, "files_read"},
    {RequestKind::FilesWrite, "files_write"},
    {RequestKind::CleanPreview, "clean_preview"},
    {RequestKind::JobStart, "job_start"},
    {RequestKind::JobOutput, "job_output"},
    {RequestKind::JobCancel, "job_cancel"},
}};

// More prompts than this in one request is a mistake, not a workload.
constexpr size_t kMaxPrompts = 100000;

// Reads the fields of one JSON object, each at most once, and rejects the fields nobody read:
// a misspelled key is an error, not a silently ignored setting.
class FieldReader {
public:
    FieldReader(object fields, std::optional<int64_t> id, std::string_view where)
        : m_fields(fields), m_id(id), m_where(where) {}

    bool has(std::string_view key) {
        element value;
        return !m_fields[key].get(value);
    }
    std::string text(std::string_view key, bool required) {
        std::string_view value;
        if (!found(key, required)) return {};
        if (m_fields[key].get(value)) mistyped(key, "a string");
        return std::string(value);
    }
    int64_t integer(std::string_view key, bool required, int64_t fallback = 0) {
        int64_t value;
        if (!found(key, required)) return fallback;
        if (m_fields[key].get(value)) mistyped(key, "an integer");
        return value;
    }
    bool flag(std::string_view key, bool fallback) {
        bool value = fallback;
        if (!found(key, false)) return fallback;
        if (m_fields[key].get(value)) mistyped(key, "true or false");
        return value;
    }
    double number(std::string_view key, double fallback) {
        double value;
        if (!found(key, false)) return fallback;
        if (m_fields[key].get(value)) mistyped(key, "a number");
        return value;
    }
    std::vector<std::string> texts(std::string_view key, bool required = false) {
        std::vector<std::string> values;
        if (!found(key, required)) return values;
        simdjson::dom::array list;
        if (m_fields[key].get(list)) mistyped(key, "an array of strings");
        for (element item : list) {
            std::string_view value;
            if (item.get(value)) mistyped(key, "an array of strings");
            values.emplace_back(value);
        }
        return values;
    }
    // The field's JSON text, for a reader of its own.
    std::string json(std::string_view key) {
        found(key, true);
        return simdjson::minify(m_fields[key].value());
    }
    simdjson::dom::array array(std::string_view key) {
        simdjson::dom::array value;
        found(key, true);
        if (m_fields[key].get(value)) mistyped(key, "an array");
        return value;
    }
    object child(std::string_view key) {
        object value;
        found(key, true);
        if (m_fields[key].get(value)) mistyped(key, "an object");
        return value;
    }
    void rejectUnread() {
        for (auto [key, value] : m_fields) {
            bool known = false;
            for (std::string_view read : m_read)
                known = known || read == key;
            if (!known)
                throw ProtocolError(m_id, fmt::format("{}: unknown field \"{}\"", m_where, key));
        }
    }

private:
    bool found(std::string_view key, bool required) {
        m_read.push_back(key);
        if (has(key)) return true;
        if (required)
            throw ProtocolError(m_id, fmt::format("{}: \"{}\" is required", m_where, key));
        return false;
    }
    [[noreturn]] void mistyped(std::string_view key, std::string_view type) {
        throw ProtocolError(m_id, fmt::format("{}: \"{}\" must be {}", m_where, key, type));
    }

    object m_fields;
    std::optional<int64_t> m_id;
    std::string_view m_where;
    std::vector<std::string_view> m_read;
};

RunSpec decodeSpec(object fields, int64_t id) {
    FieldReader reader(fields, id, "start.spec");
    RunSpec spec;
    if (reader.has("stage")) spec.stage = reader.text("stage", true);
    spec.name = reader.text("name", false);
    spec.configText = reader.text("config", false);
    spec.shards = reader.text("shards", false);
    spec.tokenizer = reader.text("tokenizer", false);
    spec.resumeRun = reader.text("resume_run", false);
    spec.overrides = reader.texts("set");
    int64_t numProcesses = reader.integer("nproc", false, 1);
    int64_t numNodes = reader.integer("nnodes", false, 1);
    int64_t nodeRank = reader.integer("node_rank", false, 0);
    spec.master = reader.text("master", false);
    spec.masterAddress = reader.text("master_address", false);
    spec.scheduler = reader.text("scheduler", false);
    spec.sbatchOptions = reader.texts("sbatch");
    reader.rejectUnread();
    auto refuse = [&](const std::string& message) {
        throw ProtocolError(id, "start.spec: " + message);
    };
    if (numProcesses < 1 || numProcesses > 1024)
        refuse(fmt::format("nproc must be 1 to 1024, not {}", numProcesses));
    if (numNodes < 1 || numNodes > 1024)
        refuse(fmt::format("nnodes must be 1 to 1024, not {}", numNodes));
    if (nodeRank < 0 || nodeRank >= numNodes)
        refuse(fmt::format("node_rank must be 0 to {} (nnodes {}), not {}", numNodes - 1, numNodes,
                           nodeRank));
    spec.numProcesses = int(numProcesses);
    spec.numNodes = int(numNodes);
    spec.nodeRank = int(nodeRank);
    if (spec.configText.empty() == spec.resumeRun.empty())
        refuse("give either \"config\" (a new run) or \"resume_run\"");
    if (!spec.master.empty() && !run::parseMasterAddress(spec.master))
        refuse(fmt::format("master \"{}\" is not HOST:PORT", spec.master));
    if (std::any_of(spec.masterAddress.begin(), spec.masterAddress.end(),
                    [](char c) { return (unsigned char)c <= ' ' || c == '/' || c == 0x7f; }))
        refuse(
            fmt::format("master_address \"{}\" is not a host name or address", spec.masterAddress));
    if (!spec.masterAddress.empty() && !spec.master.empty())
        refuse("give node 0 \"master_address\", the others \"master\"");
    if (!spec.scheduler.empty() && spec.scheduler != "slurm")
        refuse(
            fmt::format("scheduler \"{}\" is not one this worker knows (slurm)", spec.scheduler));
    if (spec.scheduler.empty() && !spec.sbatchOptions.empty())
        refuse("\"sbatch\" options need \"scheduler\": \"slurm\"");
    for (const std::string& option : spec.sbatchOptions) {
        try {
            requireSbatchOption(option, "start.spec.sbatch");
        } catch (const common::Error& error) {
            throw ProtocolError(id, error.what());
        }
    }
    if (!spec.scheduler.empty() && (!spec.resumeRun.empty() || spec.nodeRank != 0 ||
                                    !spec.master.empty() || !spec.masterAddress.empty()))
        refuse(
            "a Slurm job is one run on all its nodes: no resume_run (resume the run as it is), "
            "node_rank, master or master_address");
    if (!spec.resumeRun.empty()) {
        if (spec.numNodes != 1 || spec.nodeRank != 0 || spec.numProcesses != 1)
            refuse(
                "a resumed run keeps its nproc, nnodes and node_rank; give only \"master\" or "
                "\"master_address\"");
        return spec;
    }
    if (!spec.masterAddress.empty() && (spec.numNodes == 1 || spec.nodeRank != 0))
        refuse("\"master_address\" is for node 0 of a run across several hosts");
    if (spec.nodeRank > 0 && spec.master.empty())
        refuse(fmt::format("node {} of {} needs \"master\": HOST:PORT of node 0's rendezvous",
                           spec.nodeRank, spec.numNodes));
    if (spec.nodeRank == 0 && !spec.master.empty())
        refuse("\"master\" is for nodes 1 and on; node 0's worker picks the rendezvous port");
    return spec;
}

// Counts are clamped into int before the range check, so an absurd value is still named.
constexpr int64_t kIntMin = std::numeric_limits<int>::min();

GenerateSpec decodeGenerate(FieldReader& reader, int64_t id) {
    GenerateSpec spec;
    spec.checkpoint = reader.text("checkpoint", true);
    spec.prompts = reader.texts("prompts", true);
    if (spec.prompts.empty() || spec.prompts.size() > kMaxPrompts)
        throw ProtocolError(id, fmt::format("generate: \"prompts\" must hold 1 to {} prompts, "
                                            "not {}",
                                            kMaxPrompts, spec.prompts.size()));
    spec.chat = reader.flag("chat", false);
    if (reader.has("history")) {
        std::string history = reader.json("history");
        try {
            spec.history = parseChatTurns(history, "generate: \"history\"");
        } catch (const common::Error& error) {
            throw ProtocolError(id, error.what());
        }
        if (!spec.history.empty() && !spec.chat)
            throw ProtocolError(id, "generate: \"history\" is for chat generations");
    }
    if (!reader.has("sampling")) return spec;
    FieldReader sampling(reader.child("sampling"), id, "generate.sampling");
    model_spec::SamplingOptions& options = spec.sampling;
    options.maxNewTokens = int(std::clamp<int64_t>(
        sampling.integer("max_new_tokens", false, options.maxNewTokens), kIntMin, 1 << 30));
    options.temperature = sampling.number("temperature", options.temperature);
    options.topK =
        int(std::clamp<int64_t>(sampling.integer("top_k", false, options.topK), kIntMin, 1 << 30));
    options.topP = sampling.number("top_p", options.topP);
    options.repetitionPenalty = sampling.number("repetition_penalty", options.repetitionPenalty);
    int64_t seed = sampling.integer("seed", false, 0);
    sampling.rejectUnread();
    if (seed < 0) throw ProtocolError(id, "generate.sampling: seed must not be negative");
    options.seed = uint64_t(seed);
    try {
        model_spec::checkSamplingOptions(options);
    } catch (const common::Error& error) {
        throw ProtocolError(id, fmt::format("generate.sampling: {}", error.what()));
    }
    return spec;
}

// Pairs in one import: a file of more is imported in several requests' worth by the caller.
constexpr size_t kMaxImportPairs = 1000000;

std::vector<store::PreferencePair> decodePairs(FieldReader& reader, int64_t id) {
    std::vector<store::PreferencePair> pairs;
    simdjson::dom::array list = reader.array("pairs");
    if (list.size() == 0 || list.size() > kMaxImportPairs)
        throw ProtocolError(id, fmt::format("label_import: \"pairs\" must hold 1 to {} pairs, "
                                            "not {}",
                                            kMaxImportPairs, list.size()));
    for (element item : list) {
        object fields;
        if (item.get(fields))
            throw ProtocolError(id, "label_import: each of \"pairs\" must be an object");
        FieldReader pair(fields, id, "label_import.pairs");
        pairs.push_back({0, pair.text("prompt", true), pair.text("a", true), pair.text("b", true),
                         pair.text("source_a", false), pair.text("source_b", false)});
        pair.rejectUnread();
    }
    return pairs;
}

store::QueueSettings decodeSettings(object fields, int64_t id) {
    FieldReader reader(fields, id, "label_settings.settings");
    store::QueueSettings settings;
    settings.owner = reader.text("owner", false);
    settings.labelsPerPair = int(std::clamp<int64_t>(reader.integer("labels_per_pair", true),
                                                     kIntMin, std::numeric_limits<int>::max()));
    settings.claimSeconds = reader.number("claim_seconds", settings.claimSeconds);
    settings.guidelines = reader.text("guidelines", false);
    reader.rejectUnread();
    return settings;
}

void decodeLabelRequest(RequestKind kind, FieldReader& reader, int64_t id, LabelRequest& label) {
    if (kind == RequestKind::LabelSubmit) {
        store::LabelSubmission& submission = label.submission;
        submission.annotator = reader.text("annotator", false);
        submission.pairId = reader.integer("pair", true);
        try {
            submission.choice = store::parseChoice(reader.text("choice", true));
        } catch (const common::Error& error) {
            throw ProtocolError(id, fmt::format("label_submit: {}", error.what()));
        }
        submission.rationale = reader.text("rationale", false);
        submission.swapped = reader.flag("swapped", false);
        submission.id = reader.text("submission", false);
        return;
    }
    if (kind != RequestKind::LabelExport && kind != RequestKind::LabelStats)
        label.annotator = reader.text("annotator", false);
    switch (kind) {
        case RequestKind::LabelClaim: {
            label.leastSureOf = reader.text("least_sure_of", false);
            const int64_t count = reader.integer("count", false, 1);
            if (count < 1 || count > 1000)
                throw ProtocolError(
                    id, fmt::format("label_claim: \"count\" must be 1 to 1000, not {}", count));
            label.count = int(count);
            break;
        }
        case RequestKind::LabelRelease:
        case RequestKind::LabelUnlabel:
            label.pair = reader.integer("pair", true);
            break;
        case RequestKind::LabelAdjudicate:
            label.pair = reader.integer("pair", true);
            try {
                label.decision = store::parseChoice(reader.text("choice", true));
            } catch (const common::Error& error) {
                throw ProtocolError(id, fmt::format("label_adjudicate: {}", error.what()));
            }
            label.note = reader.text("note", false);
            break;
        case RequestKind::LabelImport:
            label.pairs = decodePairs(reader, id);
            break;
        case RequestKind::LabelExport:
            label.after = {reader.integer("after_pair", false),
                           reader.text("after_annotator", false)};
            label.limit = reader.integer("limit", false, label.limit);
            if (label.limit < 1 || label.limit > 100000)
                throw ProtocolError(
                    id, fmt::format("label_export: \"limit\" must be 1 to 100000, not {}",
                                    label.limit));
            break;
        case RequestKind::LabelSettings:
            if (reader.has("settings"))
                label.settings = decodeSettings(reader.child("settings"), id);
            break;
        default:
            break;
    }
}

// history_runs: the run filter, each field optional.
store::RunFilter decodeRunFilter(FieldReader& reader, int64_t id) {
    store::RunFilter filter;
    filter.nameContains = reader.text("name", false);
    try {
        if (reader.has("stage")) filter.stage = reader.text("stage", true);
        if (reader.has("state")) filter.state = store::parseRunState(reader.text("state", true));
        if (reader.has("host")) filter.host = reader.text("host", true);
        if (reader.has("tag")) filter.tag = reader.text("tag", true);
        if (reader.has("sort")) filter.sortBy = parseRunSortKey(reader.text("sort", true));
    } catch (const ProtocolError&) {
        throw;
    } catch (const common::Error& error) {
        throw ProtocolError(id, fmt::format("history_runs: {}", error.what()));
    }
    filter.descending = reader.flag("descending", true);
    const int64_t limit = reader.integer("limit", false, filter.limit);
    if (limit < 0 || limit > 100000)
        throw ProtocolError(
            id, fmt::format("history_runs: \"limit\" must be 0 to 100000, not {}", limit));
    filter.limit = int(limit);
    return filter;
}

// A count of the history requests: 1 to 100,000, or `fallback` when not required and absent.
int decodeCount(FieldReader& reader, int64_t id, RequestKind kind, const char* key, bool required,
                int fallback = 0) {
    const int64_t count = reader.integer(key, required, fallback);
    if (count < 1 || count > 100000)
        throw ProtocolError(id, fmt::format("{}: \"{}\" must be 1 to 100000, not {}",
                                            requestName(kind), key, count));
    return int(count);
}

// The history requests about one run.
HistoryRequest decodeHistoryRequest(RequestKind kind, FieldReader& reader, int64_t id) {
    HistoryRequest history;
    history.run = reader.integer("run", true);
    switch (kind) {
        case RequestKind::HistorySeries:
        case RequestKind::HistorySamples:
            history.key = reader.text("key", true);
            history.fromStep = reader.integer("from_step", false, history.fromStep);
            history.toStep = reader.integer("to_step", false, history.toStep);
            if (history.fromStep > history.toStep)
                throw ProtocolError(
                    id, fmt::format("{}: \"from_step\" {} is after \"to_step\" {}",
                                    requestName(kind), history.fromStep, history.toStep));
            history.count = kind == RequestKind::HistorySeries
                                ? decodeCount(reader, id, kind, "width", true)
                                : decodeCount(reader, id, kind, "count", true);
            break;
        case RequestKind::HistoryMetricRows:
            history.key = reader.text("key", true);
            history.afterStep = reader.integer("after_step", false, history.afterStep);
            history.count =
                decodeCount(reader, id, kind, "limit", false, store::kMetricRowsPerPage);
            break;
        case RequestKind::HistoryLogs:
            history.afterSeq = reader.integer("after_seq", false);
            history.count = decodeCount(reader, id, kind, "limit", false, 1000);
            break;
        case RequestKind::HistoryRolloutSteps:
            history.afterStep = reader.integer("after_step", false, 0);
            break;
        case RequestKind::HistoryRollouts:
            history.step = reader.integer("step", true);
            break;
        case RequestKind::HistoryDiff:
            history.other = reader.integer("other", true);
            history.allKeys = reader.flag("all_keys", false);
            break;
        case RequestKind::HistoryDetails:
            history.details = {reader.text("title", true), reader.texts("tags", true),
                               reader.text("notes", true)};
            break;
        case RequestKind::HistoryComment:
            history.author = reader.text("author", false);
            history.body = reader.text("body", true);
            break;
        default:  // run, metric keys, checkpoints, lineage, comments: the run alone
            break;
    }
    return history;
}

// files_list, files_read, files_write, clean_preview.
FilesRequest decodeFilesRequest(RequestKind kind, FieldReader& reader, int64_t id) {
    FilesRequest files;
    if (kind == RequestKind::CleanPreview) {
        files.config = reader.text("config", true);
        files.sources = reader.texts("sources", true);
        if (files.sources.empty())
            throw ProtocolError(id, "clean_preview: \"sources\" must name a file or a folder");
        return files;
    }
    files.path = reader.text("path", true);
    if (files.path.empty())
        throw ProtocolError(id, fmt::format("{}: \"path\" is empty", requestName(kind)));
    if (kind == RequestKind::FilesWrite) {
        files.text = reader.text("text", true);
        files.replace = reader.flag("replace", true);
    }
    if (kind == RequestKind::FilesRead) {
        files.limit = reader.integer("limit", false, files.limit);
        if (files.limit < 0 || files.limit > int64_t(store::kMaxWorkspaceFileBytes))
            throw ProtocolError(id, fmt::format("files_read: \"limit\" must be 0 to {}, not {}",
                                                store::kMaxWorkspaceFileBytes, files.limit));
    }
    return files;
}

// job_start, job_output, job_cancel.
JobRequest decodeJobRequest(RequestKind kind, FieldReader& reader, int64_t id) {
    JobRequest job;
    if (kind != RequestKind::JobStart) {
        job.job = reader.text("job", true);
        if (kind == RequestKind::JobOutput) job.after = reader.integer("after", false, 0);
        if (job.after < 0) throw ProtocolError(id, "job_output: \"after\" must not be negative");
        return job;
    }
    const std::string kindName = reader.text("job", true);
    std::optional<JobSpec::Kind> parsed = parseJobKind(kindName);
    if (!parsed)
        throw ProtocolError(
            id,
            fmt::format("job_start: \"job\" \"{}\" is none of clean, tokenizer_train, labels_score",
                        kindName));
    job.spec.kind = *parsed;
    job.spec.inputs = reader.texts("inputs", true);
    job.spec.output = reader.text("output", true);
    job.spec.config = reader.text("config", false);
    job.spec.vocabSize = int(std::clamp<int64_t>(reader.integer("vocab_size", false, 32000),
                                                 kIntMin, std::numeric_limits<int>::max()));
    try {
        checkJobSpec(job.spec);
    } catch (const common::Error& error) {
        throw ProtocolError(id, fmt::format("job_start: {}", error.what()));
    }
    return job;
}

}  // namespace

const char* requestName(RequestKind kind) {
    for (const auto& [candidate, name] : kRequestNames)
        if (candidate == kind) return name;
    return "?";
}

bool isRunHistoryRequest(RequestKind kind) {
    return kind >= RequestKind::HistoryRun && kind <= RequestKind::HistoryComment;
}

bool isWorkspaceRequest(RequestKind kind) {
    return kind >= RequestKind::FilesList && kind <= RequestKind::JobCancel;
}

Request decodeRequest(std::string_view line) {
    // One parser per thread, kept: its buffers are allocated once, not for every line.
    thread_local simdjson::dom::parser parser;
    element root;
    if (parser.parse(simdjson::padded_string(line)).get(root))
        throw ProtocolError(std::nullopt, "not a JSON object: the line does not parse as JSON");
    object fields;
    if (root.get(fields)) throw ProtocolError(std::nullopt, "not a JSON object");

    int64_t id;
    if (fields["id"].get(id))
        throw ProtocolError(std::nullopt, "a request needs an integer \"id\"");
    std::string_view name;
    if (fields["request"].get(name))
        throw ProtocolError(id, "a request needs a \"request\" string naming what to do");

    Request request;
    request.id = id;
    bool known = false;
    for (const auto& [kind, candidate] : kRequestNames)
        if (name == candidate) {
            request.kind = kind;
            known = true;
        }
    if (!known) throw ProtocolError(id, fmt::format("unknown request \"{}\"", name));

    std::string where(name);
    FieldReader reader(fields, id, where);
    reader.integer("id", true);
    reader.text("request", true);
    switch (request.kind) {
        case RequestKind::Hello:
            request.protocol = int(reader.integer("protocol", true));
            request.client = reader.text("client", false);
            break;
        case RequestKind::Start:
            request.spec = decodeSpec(reader.child("spec"), id);
            break;
        case RequestKind::Status:
            request.run = reader.text("run", false);
            break;
        case RequestKind::ListRuns:
        case RequestKind::HistoryDatasets:
        case RequestKind::HistoryTokenizers:
        case RequestKind::HistoryCheckpointsByRun:
            break;
        case RequestKind::HistoryRecordShards:
            request.files.path = reader.text("shards", true);
            break;
        case RequestKind::Subscribe:
            request.run = reader.text("run", true);
            request.afterSeq = reader.integer("after_seq", false);
            if (request.afterSeq < 0)
                throw ProtocolError(id, "subscribe: \"after_seq\" must not be negative");
            break;
        case RequestKind::Pause:
        case RequestKind::Resume:
        case RequestKind::Stop:
        case RequestKind::Unsubscribe:
            request.run = reader.text("run", true);
            break;
        case RequestKind::Generate:
            request.generate = decodeGenerate(reader, id);
            break;
        case RequestKind::Cancel:
            request.generation = reader.integer("generation", true);
            break;
        case RequestKind::FilesList:
        case RequestKind::FilesRead:
        case RequestKind::FilesWrite:
        case RequestKind::CleanPreview:
            request.files = decodeFilesRequest(request.kind, reader, id);
            break;
        case RequestKind::JobStart:
        case RequestKind::JobOutput:
        case RequestKind::JobCancel:
            request.job = decodeJobRequest(request.kind, reader, id);
            break;
        default:
            if (isRunHistoryRequest(request.kind))
                request.history = decodeHistoryRequest(request.kind, reader, id);
            else
                decodeLabelRequest(request.kind, reader, id, request.label);
            break;
        case RequestKind::HistoryRuns:
            request.runFilter = decodeRunFilter(reader, id);
            break;
    }
    reader.rejectUnread();
    return request;
}

namespace {

void encodeLabelRequest(RequestKind kind, const LabelRequest& label, JsonWriter& json) {
    if (kind == RequestKind::LabelSubmit) {
        const store::LabelSubmission& submission = label.submission;
        if (!submission.annotator.empty()) json.field("annotator", submission.annotator);
        json.field("pair", submission.pairId).field("choice", store::choiceName(submission.choice));
        if (!submission.rationale.empty()) json.field("rationale", submission.rationale);
        if (submission.swapped) json.field("swapped", true);
        if (!submission.id.empty()) json.field("submission", submission.id);
        return;
    }
    if (kind != RequestKind::LabelExport && kind != RequestKind::LabelStats &&
        !label.annotator.empty())
        json.field("annotator", label.annotator);
    switch (kind) {
        case RequestKind::LabelClaim:
            if (!label.leastSureOf.empty()) json.field("least_sure_of", label.leastSureOf);
            if (label.count != 1) json.field("count", int64_t(label.count));
            break;
        case RequestKind::LabelRelease:
        case RequestKind::LabelUnlabel:
            json.field("pair", label.pair);
            break;
        case RequestKind::LabelAdjudicate:
            json.field("pair", label.pair).field("choice", store::choiceName(label.decision));
            if (!label.note.empty()) json.field("note", label.note);
            break;
        case RequestKind::LabelImport:
            json.key("pairs").beginArray();
            for (const store::PreferencePair& pair : label.pairs) {
                json.beginObject();
                writePairText(json, pair);
                json.endObject();
            }
            json.endArray();
            break;
        case RequestKind::LabelExport:
            json.field("after_pair", label.after.pairId)
                .field("after_annotator", label.after.annotator)
                .field("limit", label.limit);
            break;
        case RequestKind::LabelSettings:
            if (label.settings)
                json.key("settings")
                    .beginObject()
                    .field("owner", label.settings->owner)
                    .field("labels_per_pair", int64_t(label.settings->labelsPerPair))
                    .field("claim_seconds", label.settings->claimSeconds)
                    .field("guidelines", label.settings->guidelines)
                    .endObject();
            break;
        default:
            break;
    }
}

// `key`: an array of `texts`, left out when there are none.
void writeTexts(JsonWriter& json, std::string_view key, const std::vector<std::string>& texts) {
    if (texts.empty()) return;
    json.key(key).beginArray();
    for (const std::string& text : texts)
        json.value(text);
    json.endArray();
}

void encodeHistoryRequest(RequestKind kind, const HistoryRequest& history, JsonWriter& json) {
    json.field("run", history.run);
    switch (kind) {
        case RequestKind::HistorySeries:
        case RequestKind::HistorySamples:
            json.field("key", history.key)
                .field("from_step", history.fromStep)
                .field("to_step", history.toStep)
                .field(kind == RequestKind::HistorySeries ? "width" : "count",
                       int64_t(history.count));
            break;
        case RequestKind::HistoryMetricRows:
            json.field("key", history.key)
                .field("after_step", history.afterStep)
                .field("limit", int64_t(history.count));
            break;
        case RequestKind::HistoryLogs:
            json.field("after_seq", history.afterSeq).field("limit", int64_t(history.count));
            break;
        case RequestKind::HistoryRolloutSteps:
            json.field("after_step", history.afterStep);
            break;
        case RequestKind::HistoryRollouts:
            json.field("step", history.step);
            break;
        case RequestKind::HistoryDiff:
            json.field("other", history.other).field("all_keys", history.allKeys);
            break;
        case RequestKind::HistoryDetails:
            json.field("title", history.details.title).key("tags").beginArray();
            for (const std::string& tag : history.details.tags)
                json.value(tag);
            json.endArray().field("notes", history.details.notes);
            break;
        case RequestKind::HistoryComment:
            if (!history.author.empty()) json.field("author", history.author);
            json.field("body", history.body);
            break;
        default:
            break;
    }
}

}  // namespace

std::string encodeRequest(const Request& request) {
    JsonWriter json;
    json.beginObject().field("id", request.id).field("request", requestName(request.kind));
    switch (request.kind) {
        case RequestKind::Hello:
            json.field("protocol", request.protocol).field("client", request.client);
            break;
        case RequestKind::Start: {
            const RunSpec& spec = request.spec;
            json.key("spec").beginObject().field("stage", spec.stage);
            if (!spec.name.empty()) json.field("name", spec.name);
            if (!spec.configText.empty()) json.field("config", spec.configText);
            if (!spec.shards.empty()) json.field("shards", spec.shards);
            if (!spec.tokenizer.empty()) json.field("tokenizer", spec.tokenizer);
            if (!spec.resumeRun.empty()) json.field("resume_run", spec.resumeRun);
            writeTexts(json, "set", spec.overrides);
            if (spec.numProcesses != 1) json.field("nproc", spec.numProcesses);
            if (spec.numNodes != 1) json.field("nnodes", spec.numNodes);
            if (spec.nodeRank != 0) json.field("node_rank", spec.nodeRank);
            if (!spec.master.empty()) json.field("master", spec.master);
            if (!spec.masterAddress.empty()) json.field("master_address", spec.masterAddress);
            if (!spec.scheduler.empty()) json.field("scheduler", spec.scheduler);
            writeTexts(json, "sbatch", spec.sbatchOptions);
            json.endObject();
            break;
        }
        case RequestKind::Status:
            if (!request.run.empty()) json.field("run", request.run);
            break;
        case RequestKind::ListRuns:
        case RequestKind::HistoryDatasets:
        case RequestKind::HistoryTokenizers:
        case RequestKind::HistoryCheckpointsByRun:
            break;
        case RequestKind::HistoryRecordShards:
            json.field("shards", request.files.path);
            break;
        case RequestKind::Subscribe:
            json.field("run", request.run).field("after_seq", request.afterSeq);
            break;
        case RequestKind::Pause:
        case RequestKind::Resume:
        case RequestKind::Stop:
        case RequestKind::Unsubscribe:
            json.field("run", request.run);
            break;
        case RequestKind::Generate: {
            const GenerateSpec& spec = request.generate;
            const model_spec::SamplingOptions& options = spec.sampling;
            json.field("checkpoint", spec.checkpoint).key("prompts").beginArray();
            for (const std::string& prompt : spec.prompts)
                json.value(prompt);
            json.endArray().field("chat", spec.chat);
            if (!spec.history.empty()) json.key("history").rawValue(chatTurnsJson(spec.history));
            json.key("sampling")
                .beginObject()
                .field("max_new_tokens", int64_t(options.maxNewTokens))
                .field("temperature", options.temperature)
                .field("top_k", int64_t(options.topK))
                .field("top_p", options.topP)
                .field("repetition_penalty", options.repetitionPenalty)
                .field("seed", int64_t(options.seed))
                .endObject();
            break;
        }
        case RequestKind::Cancel:
            json.field("generation", request.generation);
            break;
        case RequestKind::FilesList:
            json.field("path", request.files.path);
            break;
        case RequestKind::FilesRead:
            json.field("path", request.files.path).field("limit", request.files.limit);
            break;
        case RequestKind::FilesWrite:
            json.field("path", request.files.path)
                .field("text", request.files.text)
                .field("replace", request.files.replace);
            break;
        case RequestKind::CleanPreview:
            json.field("config", request.files.config).key("sources").beginArray();
            for (const std::string& source : request.files.sources)
                json.value(source);
            json.endArray();
            break;
        case RequestKind::JobStart: {
            const JobSpec& spec = request.job.spec;
            json.field("job", jobKindName(spec.kind)).key("inputs").beginArray();
            for (const std::string& input : spec.inputs)
                json.value(input);
            json.endArray().field("output", spec.output);
            if (!spec.config.empty()) json.field("config", spec.config);
            if (spec.kind == JobSpec::Kind::TokenizerTrain)
                json.field("vocab_size", int64_t(spec.vocabSize));
            break;
        }
        case RequestKind::JobOutput:
            json.field("job", request.job.job).field("after", request.job.after);
            break;
        case RequestKind::JobCancel:
            json.field("job", request.job.job);
            break;
        default:
            if (isRunHistoryRequest(request.kind))
                encodeHistoryRequest(request.kind, request.history, json);
            else
                encodeLabelRequest(request.kind, request.label, json);
            break;
        case RequestKind::HistoryRuns: {
            const store::RunFilter& filter = request.runFilter;
            if (!filter.nameContains.empty()) json.field("name", filter.nameContains);
            if (filter.stage) json.field("stage", *filter.stage);
            if (filter.state) json.field("state", store::runStateName(*filter.state));
            if (filter.host) json.field("host", *filter.host);
            if (filter.tag) json.field("tag", *filter.tag);
            json.field("sort", runSortKeyName(filter.sortBy))
                .field("descending", filter.descending)
                .field("limit", int64_t(filter.limit));
            break;
        }
    }
    return json.endObject().take();
}

WorkerMessage decodeWorkerMessage(std::string_view line) {
    thread_local simdjson::dom::parser parser;
    object fields;
    if (parser.parse(simdjson::padded_string(line)).get(fields))
        throw ProtocolError(std::nullopt, "the worker sent a line that is not a JSON object");
    WorkerMessage message;
    std::string_view type;
    if (fields["type"].get(type))
        throw ProtocolError(std::nullopt, "the worker sent a message without a \"type\"");
    message.type = type;
    element data;
    if (!fields["data"].get(data)) message.dataJson = simdjson::to_string(data);

    std::string_view run;
    if (!fields["run"].get(run)) {
        message.kind = MessageKind::RunEvent;
        message.run = run;
        int64_t rank = 0;
        if (fields["seq"].get(message.seq) || fields["time"].get(message.time) ||
            fields["rank"].get(rank) || message.dataJson.empty())
            throw ProtocolError(std::nullopt, fmt::format("run event of {} without seq, time, "
                                                          "rank or data",
                                                          run));
        message.rank = int(rank);
        return message;
    }
    if (type == "generated") {
        message.kind = MessageKind::Generated;
        if (fields["generation"].get(message.generation) || message.dataJson.empty())
            throw ProtocolError(std::nullopt, "generated text without generation or data");
        return message;
    }
    if (type == "job_status") {
        message.kind = MessageKind::JobStatus;
        element status;
        std::string_view runId;
        if (fields["status"].get(status) || status["run"].get(runId))
            throw ProtocolError(std::nullopt, "job status without a run's status");
        message.run = runId;
        message.dataJson = simdjson::to_string(status);
        return message;
    }
    int64_t id;
    if (!fields["id"].get(id)) message.id = id;
    if (type == "hello") {
        message.kind = MessageKind::Hello;
        int64_t protocol;
        std::string_view version;
        element capabilities;
        if (fields["protocol"].get(protocol) || fields["strata"].get(version) ||
            fields["capabilities"].get(capabilities))
            throw ProtocolError(std::nullopt, "hello without protocol, strata or capabilities");
        message.protocol = int(protocol);
        message.strataVersion = version;
        message.dataJson = simdjson::to_string(capabilities);
    } else if (type == "reply") {
        message.kind = MessageKind::Reply;
        if (!message.id || message.dataJson.empty())
            throw ProtocolError(std::nullopt, "reply without id or data");
    } else if (type == "error") {
        message.kind = MessageKind::Error;
        std::string_view text;
        if (fields["message"].get(text)) throw ProtocolError(message.id, "error without a message");
        message.message = text;
    } else {
        throw ProtocolError(message.id, fmt::format("unknown worker message \"{}\"", type));
    }
    return message;
}

std::string helloMessage(std::string_view strataVersion, std::string_view capabilitiesJson) {
    JsonWriter json;
    json.beginObject()
        .field("type", "hello")
        .field("protocol", kProtocolVersion)
        .field("strata", strataVersion)
        .key("capabilities")
        .rawValue(capabilitiesJson)
        .endObject();
    return json.take();
}

std::string replyMessage(int64_t id, std::string_view dataJson) {
    JsonWriter json;
    json.beginObject().field("type", "reply").field("id", id).key("data").rawValue(dataJson);
    return json.endObject().take();
}

std::string errorMessage(std::optional<int64_t> id, std::string_view message) {
    JsonWriter json;
    json.beginObject().field("type", "error").key("id");
    if (id)
        json.value(*id);
    else
        json.rawValue("null");
    return json.field("message", message).endObject().take();
}

std::string generatedMessage(int64_t generation, std::string_view dataJson) {
    JsonWriter json;
    json.beginObject().field("type", "generated").field("generation", generation).key("data");
    return json.rawValue(dataJson).endObject().take();
}

std::string jobStatusMessage(std::string_view summaryJson) {
    JsonWriter json;
    json.beginObject().field("type", "job_status").key("status").rawValue(summaryJson);
    return json.endObject().take();
}

std::string runEventMessage(std::string_view runId, std::string_view eventLine) {
    std::string message = "{\"run\":";
    common::appendJsonString(message, runId);
    message += ',';
    message += eventLine.substr(1);
    return message;
}

}  // namespace strata::proto
