// The run history as the worker protocol carries it (docs/protocol.md): a run filter in a
// history_runs request, and the replies of the history_* requests, written by the worker
// (HistoryService) and read by the client (RemoteRunCatalog). Values that are not finite travel
// as null and read back as NaN.
#pragma once

#include "core/store/run_catalog.h"
#include "core/store/shard_records.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// "created", "name", "state", "stage", "host", "step", "loss".
const char* runSortKeyName(store::RunSortKey key);
// Throws common::Error naming the text when it is none of those.
store::RunSortKey parseRunSortKey(std::string_view name);

// {KEY: [{"path", "fingerprint", "stats"}, ...]}, KEY "datasets" or "tokenizers": `stats` the
// manifest's counts, as JSON text.
std::string datasetRecordsJson(std::string_view key,
                               const std::vector<store::DatasetRecord>& records);
std::vector<store::DatasetRecord> decodeDatasetRecords(std::string_view json, std::string_view key);

// {"shards": {...as a dataset record}, "tokenizer": {...}}.
std::string recordedShardsJson(const store::RecordedShards& recorded);
store::RecordedShards decodeRecordedShards(std::string_view json);

// {"runs": [{"id", "name", "title", "host", "stage", "state", "run_dir", "created_at",
// "started_at", "ended_at", "last_seq", "last_step", "last_loss" (null when none), "tags",
// "notes"}]}.
std::string runsJson(const std::vector<store::RunRecord>& runs);
std::vector<store::RunRecord> decodeRuns(std::string_view json);

// {"run": {...as in runs, with "config", "parent_run_id" (null when none), "parent_checkpoint"}}.
std::string runJson(const store::RunRecord& run);
store::RunRecord decodeRun(std::string_view json);

// {"keys": [...]}.
std::string metricKeysJson(const std::vector<std::string>& keys);
std::vector<std::string> decodeMetricKeys(std::string_view json);

// {"buckets": [[first_step, last_step, min, max, first, last, count], ...]}.
std::string bucketsJson(const std::vector<store::SeriesBucket>& buckets);
std::vector<store::SeriesBucket> decodeBuckets(std::string_view json);

// {"samples": [[step, value, wall_time], ...]}.
std::string samplesJson(const std::vector<store::StepSample>& samples);
std::vector<store::StepSample> decodeSamples(std::string_view json);

// {"rows": [[step, value, wall_time, rank], ...]}, the rows of `key`.
std::string metricRowsJson(const std::vector<store::MetricRow>& rows);
std::vector<store::MetricRow> decodeMetricRows(std::string_view json, const std::string& key);

// {"checkpoints": [{"seq", "step", "path", "val_loss", "saved_at"}, ...]}.
std::string checkpointsJson(const std::vector<store::CheckpointRow>& checkpoints);
std::vector<store::CheckpointRow> decodeCheckpoints(std::string_view json);

// {"runs": [{"run", "checkpoints": [...as above]}, ...]}.
std::string checkpointsByRunJson(const std::map<int64_t, std::vector<store::CheckpointRow>>& byRun);
std::map<int64_t, std::vector<store::CheckpointRow>> decodeCheckpointsByRun(std::string_view json);

// {"logs": [{"seq", "time", "rank", "level", "message"}, ...]}.
std::string logsJson(const std::vector<store::LogRow>& logs);
std::vector<store::LogRow> decodeLogs(std::string_view json);

// {"steps": [...]}: the steps with rollouts.
std::string rolloutStepsJson(const std::vector<int64_t>& steps);
std::vector<int64_t> decodeRolloutSteps(std::string_view json);

// {"rollouts": {"seq", "step", "data"} or null}: one step's rollouts, `data` the event's data.
std::string rolloutsJson(const std::optional<store::RolloutRow>& rollouts);
std::optional<store::RolloutRow> decodeRollouts(std::string_view json);

// {"differences": [{"key", "left", "right"}, ...]}.
std::string differencesJson(const std::vector<store::ConfigDifference>& differences);
std::vector<store::ConfigDifference> decodeDifferences(std::string_view json);

// {"lineage": {"kind", "label", "detail", "inputs": [...the same...]}}, kind as
// store::lineageKindName.
std::string lineageJson(const store::LineageItem& lineage);
store::LineageItem decodeLineage(std::string_view json);

// {"comments": [{"id", "author", "body", "created_at"}, ...]}.
std::string commentsJson(const std::vector<store::RunComment>& comments);
std::vector<store::RunComment> decodeComments(std::string_view json);
// {"comment": ID}: the comment history_comment added.
std::string addedCommentJson(int64_t commentId);
int64_t decodeAddedComment(std::string_view json);

}  // namespace strata::proto
