#include "core/store/run_history.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/run/metric_keys.h"
#include "core/store/metric_csv.h"
#include "core/store/metric_store.h"
#include "core/store/schema.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <limits>

namespace strata::store {

namespace fs = std::filesystem;

namespace {

constexpr RunState kRunStates[] = {RunState::Created,   RunState::Running, RunState::Paused,
                                   RunState::Completed, RunState::Stopped, RunState::Interrupted,
                                   RunState::Failed};

// The columns readRun() reads, in its order.
constexpr std::string_view kRunColumns =
    "r.id, r.name, r.host, r.stage, r.state, r.config_text, r.run_dir, r.created_at, "
    "r.started_at, r.ended_at, r.parent_run_id, r.parent_checkpoint, r.notes, r.last_seq, "
    "r.last_step, r.last_loss, r.title, r.job_id, r.job_state, r.created_by";

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Fixed SQL for each sort key, never text from the filter. State sorts in the order a run goes
// through its states, not alphabetically.
const char* sortExpression(RunSortKey key) {
    switch (key) {
        case RunSortKey::Created:
            return "r.created_at";
        case RunSortKey::Name:
            return "coalesce(nullif(r.title, ''), r.name)";
        case RunSortKey::State:
            return "CASE r.state WHEN 'created' THEN 0 WHEN 'running' THEN 1 WHEN 'paused' THEN 2 "
                   "WHEN 'completed' THEN 3 WHEN 'stopped' THEN 4 WHEN 'interrupted' THEN 5 "
                   "ELSE 6 END";
        case RunSortKey::Stage:
            return "r.stage";
        case RunSortKey::Host:
            return "r.host";
        case RunSortKey::LastStep:
            return "r.last_step";
        case RunSortKey::LastLoss:
            return "r.last_loss";
    }
    return "r.created_at";
}

}  // namespace

// In the order of the enum's values.
constexpr const char* kRunStateNames[] = {"created", "running",     "paused", "completed",
                                          "stopped", "interrupted", "failed"};

const char* runStateName(RunState state) {
    return kRunStateNames[size_t(state)];
}

std::optional<RunState> findRunState(std::string_view name) {
    for (RunState state : kRunStates)
        if (name == runStateName(state)) return state;
    return std::nullopt;
}

RunState parseRunState(std::string_view name) {
    if (std::optional<RunState> state = findRunState(name)) return *state;
    common::fail(
        "unknown run state '{}' (expected created, running, paused, completed, stopped, "
        "interrupted or failed)",
        name);
}

bool hasEnded(RunState state) {
    return state == RunState::Completed || state == RunState::Stopped ||
           state == RunState::Interrupted || state == RunState::Failed;
}

// The statements of ingest and of the frequent reads, prepared once per connection.
struct RunHistory::Statements {
    explicit Statements(Database& db)
        : runById(db.prepare(fmt::format("SELECT {} FROM runs r WHERE r.id = ?1", kRunColumns))),
          runByName(db.prepare(
              fmt::format("SELECT {} FROM runs r WHERE r.host = ?1 AND r.name = ?2", kRunColumns))),
          runProgress(db.prepare("SELECT last_seq, last_step FROM runs WHERE id = ?1")),
          tagsOfRun(db.prepare("SELECT tag FROM run_tags WHERE run_id = ?1 ORDER BY tag")),
          nodesOfRun(db.prepare("SELECT host, name, run_dir FROM run_nodes WHERE run_id = ?1 "
                                "ORDER BY node_rank")),
          insertTag(db.prepare("INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?1, ?2)")),
          insertLog(db.prepare("INSERT INTO log_events (run_id, seq, time, rank, level, message) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")),
          upsertCheckpoint(
              db.prepare("INSERT INTO checkpoints (run_id, step, path, val_loss, saved_at, seq) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (run_id, step) DO UPDATE SET "
                         "path = excluded.path, val_loss = excluded.val_loss, "
                         "saved_at = excluded.saved_at, seq = excluded.seq")),
          upsertRollouts(
              db.prepare("INSERT INTO rollouts (run_id, step, seq, data_json) "
                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, step) DO UPDATE SET "
                         "seq = excluded.seq, data_json = excluded.data_json")),
          updateProgress(db.prepare("UPDATE runs SET last_seq = max(last_seq, ?2), last_step = ?3, "
                                    "last_loss = CASE WHEN ?4 THEN ?5 ELSE last_loss END, "
                                    "state = coalesce(?6, state), "
                                    "started_at = CASE WHEN ?7 > 0 THEN ?7 ELSE started_at END, "
                                    "ended_at = CASE WHEN ?8 > 0 THEN ?8 ELSE ended_at END "
                                    "WHERE id = ?1")) {}

    Statement runById;
    Statement runByName;
    Statement runProgress;
    Statement tagsOfRun;
    Statement nodesOfRun;
    Statement insertTag;
    Statement insertLog;
    Statement upsertCheckpoint;
    Statement upsertRollouts;
    Statement updateProgress;
};

RunHistory::RunHistory(const fs::path& file) : m_db(file) {
    migrate(m_db, runHistoryMigrations());
    m_statements = std::make_unique<Statements>(m_db);
    m_metrics = std::make_unique<MetricStore>(m_db);
}

RunHistory::~RunHistory() = default;

int64_t RunHistory::createRun(const NewRun& run) {
    if (run.name.empty()) common::fail("{}: a run needs a name", m_db.path().string());
    if (run.host.empty())
        common::fail("{}: run '{}' needs a host (\"local\" or an SSH target)", m_db.path().string(),
                     run.name);
    Transaction transaction(m_db);
    if (std::optional<RunRecord> existing = findRun(run.host, run.name))
        common::fail("{}: a run named '{}' already exists on host '{}' (id {})",
                     m_db.path().string(), run.name, run.host, existing->id);
    if (run.parentRunId) requireRun(*run.parentRunId);
    Statement insert = m_db.prepare(
        "INSERT INTO runs (name, host, stage, config_text, run_dir, created_at, parent_run_id, "
        "parent_checkpoint, notes, job_id, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11)");
    insert.bind(1, run.name)
        .bind(2, run.host)
        .bind(3, run.stage)
        .bind(4, run.configText)
        .bind(5, run.runDir)
        .bind(6, now());
    if (run.parentRunId)
        insert.bind(7, *run.parentRunId);
    else
        insert.bindNull(7);
    insert.bind(8, run.parentCheckpoint)
        .bind(9, run.notes)
        .bind(10, run.jobId)
        .bind(11, run.createdBy)
        .run();
    const int64_t id = m_db.lastInsertRowId();
    insertTags(id, run.tags);
    Statement insertNode = m_db.prepare(
        "INSERT INTO run_nodes (run_id, node_rank, host, name, run_dir) VALUES (?1, ?2, ?3, ?4, "
        "?5)");
    for (size_t i = 0; i < run.nodes.size(); ++i) {
        insertNode.reset();
        insertNode.bind(1, id)
            .bind(2, int64_t(i + 1))
            .bind(3, run.nodes[i].host)
            .bind(4, run.nodes[i].name)
            .bind(5, run.nodes[i].runDir)
            .run();
    }
    transaction.commit();
    return id;
}

std::optional<RunRecord> RunHistory::findRun(const std::string& host, const std::string& name) {
    Statement& select = m_statements->runByName;
    select.reset();
    select.bind(1, host).bind(2, name);
    if (!select.step()) return std::nullopt;
    RunRecord record = readRun(select);
    select.reset();
    record.tags = tagsOf(record.id);
    record.nodes = nodesOf(record.id);
    return record;
}

RunRecord RunHistory::run(int64_t id) {
    Statement& select = m_statements->runById;
    select.reset();
    select.bind(1, id);
    if (!select.step()) common::fail("{}: no run with id {}", m_db.path().string(), id);
    RunRecord record = readRun(select);
    select.reset();
    record.tags = tagsOf(record.id);
    record.nodes = nodesOf(record.id);
    return record;
}

std::vector<RunRecord> RunHistory::listRuns(const RunFilter& filter) {
    const char* direction = filter.descending ? "DESC" : "ASC";
    // Only fixed text is formatted into the SQL; every filter value is a bound parameter.
    Statement select = m_db.prepare(
        fmt::format("SELECT {2} FROM runs r WHERE (?1 = '' OR instr(lower(r.name), lower(?1)) > 0 "
                    "OR instr(lower(r.title), lower(?1)) > 0) "
                    "AND (?2 IS NULL OR r.stage = ?2) AND (?3 IS NULL OR r.state = ?3) "
                    "AND (?4 IS NULL OR r.host = ?4) "
                    "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id "
                    "AND t.tag = ?5)) "
                    "ORDER BY {0} {1} NULLS LAST, r.id {1} LIMIT ?6",
                    sortExpression(filter.sortBy), direction, kRunColumns));
    select.bind(1, filter.nameContains);
    auto bindOptional = [&](int index, const std::optional<std::string>& value) {
        if (value)
            select.bind(index, *value);
        else
            select.bindNull(index);
    };
    bindOptional(2, filter.stage);
    bindOptional(
        3, filter.state ? std::optional<std::string>(runStateName(*filter.state)) : std::nullopt);
    bindOptional(4, filter.host);
    bindOptional(5, filter.tag);
    select.bind(6, filter.limit > 0 ? int64_t(filter.limit) : int64_t(-1));  // -1: no limit
    std::vector<RunRecord> runs;
    while (select.step())
        runs.push_back(readRun(select));
    for (RunRecord& record : runs)
        record.tags = tagsOf(record.id);
    return runs;
}

void RunHistory::setState(int64_t runId, RunState state) {
    m_db.prepare("UPDATE runs SET state = ?2 WHERE id = ?1")
        .bind(1, runId)
        .bind(2, runStateName(state))
        .run();
    if (m_db.changes() == 0) requireRun(runId);
}

void RunHistory::setTags(int64_t runId, const std::vector<std::string>& tags) {
    Transaction transaction(m_db);
    requireRun(runId);
    m_db.prepare("DELETE FROM run_tags WHERE run_id = ?1").bind(1, runId).run();
    insertTags(runId, tags);
    transaction.commit();
}

void RunHistory::setNotes(int64_t runId, const std::string& notes) {
    m_db.prepare("UPDATE runs SET notes = ?2 WHERE id = ?1").bind(1, runId).bind(2, notes).run();
    if (m_db.changes() == 0) requireRun(runId);
}

void RunHistory::setJob(int64_t runId, const std::string& jobId, const std::string& jobState) {
    m_db.prepare("UPDATE runs SET job_id = ?2, job_state = ?3 WHERE id = ?1")
        .bind(1, runId)
        .bind(2, jobId)
        .bind(3, jobState)
        .run();
    if (m_db.changes() == 0) requireRun(runId);
}

void RunHistory::setTitle(int64_t runId, const std::string& title) {
    m_db.prepare("UPDATE runs SET title = ?2 WHERE id = ?1").bind(1, runId).bind(2, title).run();
    if (m_db.changes() == 0) requireRun(runId);
}

int64_t RunHistory::addComment(int64_t runId, const std::string& author, const std::string& body) {
    if (author.empty()) common::fail("{}: a comment needs its author", m_db.path().string());
    if (body.find_first_not_of(" \t\r\n") == std::string::npos)
        common::fail("{}: a comment needs some text", m_db.path().string());
    requireRun(runId);
    m_db.prepare(
            "INSERT INTO run_comments (run_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, runId)
        .bind(2, author)
        .bind(3, body)
        .bind(4, now())
        .run();
    return m_db.lastInsertRowId();
}

std::vector<RunComment> RunHistory::comments(int64_t runId) {
    Statement select = m_db.prepare(
        "SELECT id, author, body, created_at FROM run_comments WHERE run_id = ?1 ORDER BY id");
    select.bind(1, runId);
    std::vector<RunComment> out;
    while (select.step())
        out.push_back({select.columnInt(0), select.columnText(1), select.columnText(2),
                       select.columnDouble(3)});
    return out;
}

void RunHistory::deleteRun(int64_t runId) {
    m_db.prepare("DELETE FROM runs WHERE id = ?1").bind(1, runId).run();
    if (m_db.changes() == 0) requireRun(runId);
}

void RunHistory::ingest(const IngestBatch& batch) {
    try {
        Transaction transaction(m_db);
        Statement& progress = m_statements->runProgress;
        progress.reset();
        progress.bind(1, batch.runId);
        if (!progress.step())
            common::fail("{}: no run with id {}", m_db.path().string(), batch.runId);
        const int64_t storedSeq = progress.columnInt(0);
        int64_t lastStep = progress.columnInt(1);
        progress.reset();
        // The worker numbers events per run. Whatever is at or below the stored seq was stored
        // by an earlier batch (this client's before a reconnect, or another client's following
        // the same run) and must not truncate or count anything twice.
        auto isNew = [&](int64_t seq) { return seq > storedSeq; };

        bool lossChanged = false;
        if (batch.truncateAfterStep && isNew(batch.truncateSeq)) {
            m_metrics->truncateAfter(batch.runId, *batch.truncateAfterStep);
            m_db.prepare("DELETE FROM rollouts WHERE run_id = ?1 AND step > ?2")
                .bind(1, batch.runId)
                .bind(2, *batch.truncateAfterStep)
                .run();
            lastStep = m_metrics->lastStep(batch.runId);
            lossChanged = true;
        }
        if (batch.lostSeqs && isNew(batch.lostSeqs->second))
            for (const char* table : {"log_events", "checkpoints", "rollouts"})
                m_db
                    .prepare(fmt::format(
                        "DELETE FROM {} WHERE run_id = ?1 AND seq > ?2 AND seq < ?3", table))
                    .bind(1, batch.runId)
                    .bind(2, batch.lostSeqs->first)
                    .bind(3, batch.lostSeqs->second)
                    .run();
        MetricStore::Inserted inserted = m_metrics->insert(batch.runId, batch.metrics, storedSeq);
        if (inserted.numRows > 0) lastStep = std::max(lastStep, inserted.maxStep);
        lossChanged =
            lossChanged ||
            std::any_of(batch.metrics.begin(), batch.metrics.end(), [&](const MetricRow& row) {
                return isNew(row.seq) && row.key == run::kMetricLoss;
            });
        double lastLoss = std::numeric_limits<double>::quiet_NaN();
        if (lossChanged)
            if (std::optional<int64_t> lossKey = m_metrics->findKey(run::kMetricLoss))
                lastLoss = m_metrics->latestValue(batch.runId, *lossKey).value_or(lastLoss);

        // Logs are keyed by seq, so one delivered twice is ignored by its primary key too.
        Statement& insertLog = m_statements->insertLog;
        for (const LogRow& log : batch.logs)
            if (isNew(log.seq))
                insertLog.bind(1, batch.runId)
                    .bind(2, log.seq)
                    .bind(3, log.time)
                    .bind(4, log.rank)
                    .bind(5, log.level)
                    .bind(6, log.message)
                    .run();
        Statement& upsertCheckpoint = m_statements->upsertCheckpoint;
        for (const CheckpointRow& checkpoint : batch.checkpoints)
            if (isNew(checkpoint.seq))
                upsertCheckpoint.bind(1, batch.runId)
                    .bind(2, checkpoint.step)
                    .bind(3, checkpoint.path)
                    .bind(4, checkpoint.valLoss)  // NaN binds as NULL
                    .bind(5, checkpoint.savedAt)
                    .bind(6, checkpoint.seq)
                    .run();
        Statement& upsertRollouts = m_statements->upsertRollouts;
        for (const RolloutRow& rollouts : batch.rollouts)
            if (isNew(rollouts.seq))
                upsertRollouts.bind(1, batch.runId)
                    .bind(2, rollouts.step)
                    .bind(3, rollouts.seq)
                    .bind(4, rollouts.dataJson)
                    .run();

        Statement& update = m_statements->updateProgress;
        update.bind(1, batch.runId)
            .bind(2, batch.lastSeq)
            .bind(3, lastStep)
            .bind(4, int(lossChanged))
            .bind(5, lastLoss);
        const bool stateIsNew = isNew(batch.stateSeq);
        if (batch.state && stateIsNew)
            update.bind(6, runStateName(*batch.state));
        else
            update.bindNull(6);
        update.bind(7, stateIsNew ? batch.startedAt : 0.0)
            .bind(8, stateIsNew ? batch.endedAt : 0.0)
            .run();
        if (batch.configText && stateIsNew)
            m_db.prepare("UPDATE runs SET config_text = ?2 WHERE id = ?1")
                .bind(1, batch.runId)
                .bind(2, *batch.configText)
                .run();
        transaction.commit();
        m_metrics->keepInternedKeys();
    } catch (...) {
        m_metrics->forgetInternedKeys();
        throw;
    }
}

std::vector<std::string> RunHistory::metricKeys(int64_t runId) {
    std::vector<std::string> names;
    for (auto& [id, name] : m_metrics->keys(runId))
        names.push_back(std::move(name));
    return names;
}

std::vector<SeriesBucket> RunHistory::series(int64_t runId, const std::string& key,
                                             int64_t fromStep, int64_t toStep, int pixelWidth) {
    std::optional<int64_t> keyId = m_metrics->findKey(key);
    if (!keyId) return {};
    return m_metrics->series(runId, *keyId, fromStep, toStep, pixelWidth);
}

std::vector<StepSample> RunHistory::sampleSteps(int64_t runId, const std::string& key,
                                                int64_t fromStep, int64_t toStep, int count) {
    std::optional<int64_t> keyId = m_metrics->findKey(key);
    if (!keyId) return {};
    return m_metrics->sampleSteps(runId, *keyId, fromStep, toStep, count);
}

std::vector<CheckpointRow> RunHistory::checkpoints(int64_t runId) {
    Statement select = m_db.prepare(
        "SELECT seq, step, path, val_loss, saved_at FROM checkpoints WHERE run_id = ?1 "
        "ORDER BY step");
    select.bind(1, runId);
    std::vector<CheckpointRow> rows;
    while (select.step())
        rows.push_back({select.columnInt(0), select.columnInt(1), select.columnText(2),
                        select.columnRealOrNaN(3), select.columnDouble(4)});
    return rows;
}

std::vector<LogRow> RunHistory::logs(int64_t runId, int64_t afterSeq, int limit) {
    Statement select = m_db.prepare(
        "SELECT seq, time, rank, level, message FROM log_events "
        "WHERE run_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    select.bind(1, runId).bind(2, afterSeq).bind(3, limit > 0 ? int64_t(limit) : int64_t(-1));
    std::vector<LogRow> rows;
    while (select.step())
        rows.push_back({select.columnInt(0), select.columnDouble(1), int(select.columnInt(2)),
                        select.columnText(3), select.columnText(4)});
    return rows;
}

std::vector<int64_t> RunHistory::rolloutSteps(int64_t runId, int64_t afterStep) {
    Statement select =
        m_db.prepare("SELECT step FROM rollouts WHERE run_id = ?1 AND step > ?2 ORDER BY step");
    select.bind(1, runId).bind(2, afterStep);
    std::vector<int64_t> steps;
    while (select.step())
        steps.push_back(select.columnInt(0));
    return steps;
}

std::optional<RolloutRow> RunHistory::rollouts(int64_t runId, int64_t step) {
    Statement select =
        m_db.prepare("SELECT seq, data_json FROM rollouts WHERE run_id = ?1 AND step = ?2");
    select.bind(1, runId).bind(2, step);
    if (!select.step()) return std::nullopt;
    return RolloutRow{select.columnInt(0), step, select.columnText(1)};
}

std::vector<ConfigDifference> RunHistory::diffConfigs(int64_t leftRunId, int64_t rightRunId,
                                                      bool allKeys) {
    RunRecord left = run(leftRunId);
    RunRecord right = run(rightRunId);
    auto sourceName = [](const RunRecord& record) {
        return fmt::format("run.toml of run {} ({})", record.id, record.name);
    };
    return configDifferences(flattenToml(left.configText, sourceName(left)),
                             flattenToml(right.configText, sourceName(right)), allKeys);
}

std::vector<MetricRow> RunHistory::metricRows(int64_t runId, const std::string& key,
                                              int64_t afterStep, int limit) {
    std::optional<int64_t> keyId = m_metrics->findKey(key);
    if (!keyId) return {};
    return m_metrics->rows(runId, *keyId, key, afterStep, limit);
}

void RunHistory::exportMetricsCsv(int64_t runId, const fs::path& out) {
    requireRun(runId);
    writeMetricsCsv(
        metricKeys(runId),
        [&](const std::string& key, int64_t afterStep) {
            return metricRows(runId, key, afterStep, kMetricRowsPerPage);
        },
        out);
}

void RunHistory::recordDataset(const DatasetRecord& dataset) {
    if (dataset.path.empty()) common::fail("{}: a dataset needs a path", m_db.path().string());
    m_db.prepare(
            "INSERT INTO datasets (path, fingerprint, stats_json, recorded_at) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (path) DO UPDATE SET "
            "fingerprint = excluded.fingerprint, stats_json = excluded.stats_json, "
            "recorded_at = excluded.recorded_at")
        .bind(1, dataset.path)
        .bind(2, dataset.fingerprint)
        .bind(3, dataset.statsJson)
        .bind(4, now())
        .run();
}

void RunHistory::recordTokenizer(const DatasetRecord& tokenizer) {
    if (tokenizer.path.empty()) common::fail("{}: a tokenizer needs a path", m_db.path().string());
    m_db.prepare(
            "INSERT INTO tokenizers (path, fingerprint, stats_json, recorded_at) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (path) DO UPDATE SET "
            "fingerprint = excluded.fingerprint, stats_json = excluded.stats_json, "
            "recorded_at = excluded.recorded_at")
        .bind(1, tokenizer.path)
        .bind(2, tokenizer.fingerprint)
        .bind(3, tokenizer.statsJson)
        .bind(4, now())
        .run();
}

std::vector<DatasetRecord> RunHistory::datasets() {
    Statement select =
        m_db.prepare("SELECT path, fingerprint, stats_json FROM datasets ORDER BY path");
    std::vector<DatasetRecord> records;
    while (select.step())
        records.push_back({select.columnText(0), select.columnText(1), select.columnText(2)});
    return records;
}

std::vector<DatasetRecord> RunHistory::tokenizers() {
    Statement select =
        m_db.prepare("SELECT path, fingerprint, stats_json FROM tokenizers ORDER BY path");
    std::vector<DatasetRecord> records;
    while (select.step())
        records.push_back({select.columnText(0), select.columnText(1), select.columnText(2)});
    return records;
}

void RunHistory::backup(const fs::path& to) {
    fs::path partial = to;
    partial += ".partial";
    std::error_code ignored;
    fs::remove(partial, ignored);
    sqlite3* target = nullptr;
    auto fail = [&](const std::string& message) {
        sqlite3_close(target);
        fs::remove(partial, ignored);
        common::fail("{}: cannot back up to {}: {}", m_db.path().string(), to.string(), message);
    };
    int code = sqlite3_open_v2(partial.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                               nullptr);
    if (code != SQLITE_OK) fail(target ? sqlite3_errmsg(target) : sqlite3_errstr(code));
    // One step over every page: a read transaction on this connection, so the copy is one
    // consistent snapshot while other connections go on writing (WAL lets them).
    sqlite3_backup* copy = sqlite3_backup_init(target, "main", m_db.handle(), "main");
    if (!copy) fail(sqlite3_errmsg(target));
    code = sqlite3_backup_step(copy, -1);
    sqlite3_backup_finish(copy);
    if (code != SQLITE_DONE) fail(sqlite3_errstr(code));
    code = sqlite3_close(target);
    target = nullptr;
    if (code != SQLITE_OK) fail(sqlite3_errstr(code));
    // A write-ahead log left beside an earlier file of that name would be replayed into the
    // new one.
    fs::remove(fs::path(to.string() + "-wal"), ignored);
    fs::remove(fs::path(to.string() + "-shm"), ignored);
    std::error_code error;
    fs::rename(partial, to, error);
    if (error) fail(error.message());
}

void RunHistory::insertTags(int64_t runId, const std::vector<std::string>& tags) {
    Statement& insert = m_statements->insertTag;
    for (const std::string& tag : tags) {
        if (tag.empty())
            common::fail("{}: run {}: a tag cannot be empty", m_db.path().string(), runId);
        insert.bind(1, runId).bind(2, tag).run();
    }
}

std::vector<std::string> RunHistory::tagsOf(int64_t runId) {
    Statement& select = m_statements->tagsOfRun;
    select.reset();
    select.bind(1, runId);
    std::vector<std::string> tags;
    while (select.step())
        tags.push_back(select.columnText(0));
    select.reset();
    return tags;
}

std::vector<RunNode> RunHistory::nodesOf(int64_t runId) {
    Statement& select = m_statements->nodesOfRun;
    select.reset();
    select.bind(1, runId);
    std::vector<RunNode> nodes;
    while (select.step())
        nodes.push_back({select.columnText(0), select.columnText(1), select.columnText(2)});
    select.reset();
    return nodes;
}

RunRecord RunHistory::readRun(Statement& s) {
    RunRecord record;
    record.id = s.columnInt(0);
    record.name = s.columnText(1);
    record.host = s.columnText(2);
    record.stage = s.columnText(3);
    record.state = parseRunState(s.columnText(4));
    record.configText = s.columnText(5);
    record.runDir = s.columnText(6);
    record.createdAt = s.columnDouble(7);
    record.startedAt = s.columnDouble(8);
    record.endedAt = s.columnDouble(9);
    if (!s.columnIsNull(10)) record.parentRunId = s.columnInt(10);
    record.parentCheckpoint = s.columnText(11);
    record.notes = s.columnText(12);
    record.lastSeq = s.columnInt(13);
    record.lastStep = s.columnInt(14);
    record.lastLoss = s.columnRealOrNaN(15);
    record.title = s.columnText(16);
    record.jobId = s.columnText(17);
    record.jobState = s.columnText(18);
    record.createdBy = s.columnText(19);
    return record;
}

void RunHistory::requireRun(int64_t runId) {
    Statement& select = m_statements->runProgress;
    select.reset();
    select.bind(1, runId);
    bool found = select.step();
    select.reset();
    if (!found) common::fail("{}: no run with id {}", m_db.path().string(), runId);
}

}  // namespace strata::store
