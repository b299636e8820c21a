#include "core/store/schema.h"

namespace strata::store {

namespace {

// Runs and what they produce. Children of a run go with it (ON DELETE CASCADE). metrics is
// WITHOUT ROWID, clustered on its primary key, so one series is one contiguous range of the
// table. Its key_id has no foreign key: the code interns key names itself, and a parent lookup
// per row costs an insert about 14% (measured on run_id's, which the cascade needs). A NaN value
// is stored as NULL (SQLite has no NaN).
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'created' CHECK (state IN
        ('created', 'running', 'paused', 'completed', 'stopped', 'interrupted', 'failed')),
    config_text TEXT NOT NULL DEFAULT '',
    run_dir TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    started_at REAL NOT NULL DEFAULT 0,
    ended_at REAL NOT NULL DEFAULT 0,
    parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    parent_checkpoint TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    last_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (host, name)
);
CREATE INDEX runs_by_parent ON runs(parent_run_id);

CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;

CREATE TABLE metric_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    value REAL,
    wall_time REAL NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, key_id, step)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    path TEXT NOT NULL,
    val_loss REAL,
    saved_at REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;

CREATE TABLE log_events (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    time REAL NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    stats_json TEXT NOT NULL DEFAULT '{}',
    recorded_at REAL NOT NULL
);

CREATE TABLE tokenizers (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    stats_json TEXT NOT NULL DEFAULT '{}',
    recorded_at REAL NOT NULL
);
)sql";

// The tile pyramid (metric_series.h): level L in 1..4 summarizes the steps of one series in
// tiles of 16^L steps, tile = step >> (4 * L) (an arithmetic shift: floor division, negative
// steps included). NaN values (NULL) stay out of the tiles. The backfill gives the runs of a
// version 1 database the tiles and last step and loss that ingest maintains from now on.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE runs ADD COLUMN last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN last_loss REAL;

CREATE TABLE metric_tiles (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL,
    level INTEGER NOT NULL,
    tile INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    min_value REAL NOT NULL,
    max_value REAL NOT NULL,
    first_value REAL NOT NULL,
    last_value REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, key_id, level, tile)
) WITHOUT ROWID;

INSERT INTO metric_tiles (run_id, key_id, level, tile, first_step, last_step, min_value,
                          max_value, first_value, last_value, count)
SELECT m.run_id, m.key_id, l.level, m.step >> (4 * l.level), min(m.step), max(m.step),
       min(m.value), max(m.value), 0, 0, count(*)
FROM metrics m, (SELECT 1 AS level UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) l
WHERE m.value IS NOT NULL
GROUP BY m.run_id, m.key_id, l.level, m.step >> (4 * l.level);

UPDATE metric_tiles SET
    first_value = (SELECT m.value FROM metrics m WHERE m.run_id = metric_tiles.run_id
                   AND m.key_id = metric_tiles.key_id AND m.step = metric_tiles.first_step),
    last_value = (SELECT m.value FROM metrics m WHERE m.run_id = metric_tiles.run_id
                  AND m.key_id = metric_tiles.key_id AND m.step = metric_tiles.last_step);

UPDATE runs SET
    last_step = coalesce((SELECT max(m.step) FROM metrics m WHERE m.run_id = runs.id), 0),
    last_loss = (SELECT m.value FROM metrics m WHERE m.run_id = runs.id
                 AND m.key_id = (SELECT id FROM metric_keys WHERE name = 'loss')
                 ORDER BY m.step DESC LIMIT 1);
)sql";

// Human preferences: pairs of responses to one prompt, and at most one label per pair and
// annotator (labeling again replaces it).
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE preference_pairs (
    id INTEGER PRIMARY KEY,
    prompt TEXT NOT NULL,
    response_a TEXT NOT NULL,
    response_b TEXT NOT NULL,
    source_a TEXT NOT NULL DEFAULT '',
    source_b TEXT NOT NULL DEFAULT '',
    added_at REAL NOT NULL
);

CREATE TABLE labels (
    pair_id INTEGER NOT NULL REFERENCES preference_pairs(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie', 'skip')),
    rationale TEXT NOT NULL DEFAULT '',
    labeled_at REAL NOT NULL,
    PRIMARY KEY (pair_id, annotator)
);
)sql";

// The labeling panel's needs: which side each label's annotator saw on the left (the panel shows
// A and B in random order per pair, and position bias is measured from it), and claims, so
// annotators sharing a queue are not handed the same pair at once.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE labels ADD COLUMN swapped INTEGER NOT NULL DEFAULT 0;
CREATE TABLE label_claims (
    pair_id INTEGER NOT NULL REFERENCES preference_pairs(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    PRIMARY KEY (pair_id, annotator)
) WITHOUT ROWID;
)sql";

// Version 5: a title reviewers give a run. The name stays the worker's run id (and the run
// folder's name), which following and steering the run rely on.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE runs ADD COLUMN title TEXT NOT NULL DEFAULT '';
)sql";

// Version 6: the rollout inspector's record. A PPO or GRPO step that samples responses for people
// to read sends them as one `rollouts` event; its data (prompt, response, reward parts, tokens and
// their KL per sample) is kept as the JSON text it came in, one row a step.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE rollouts (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
)sql";

// Version 7: labels where they help most. A reward model scores the pairs nobody has labeled
// yet; its margin r(A) - r(B) per pair lets the labeling queue hand out the pairs it is least
// sure about first. `scorer` names the reward model (its checkpoint folder).
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE pair_scores (
    pair_id INTEGER NOT NULL REFERENCES preference_pairs(id) ON DELETE CASCADE,
    scorer TEXT NOT NULL,
    margin REAL NOT NULL,
    scored_at REAL NOT NULL,
    PRIMARY KEY (scorer, pair_id)
) WITHOUT ROWID;
)sql";

// Version 8: runs across several hosts. The run's own row is node 0 (its host, the worker's run
// id, its run folder); each further host's worker keeps the run under an id and folder of its
// own, recorded here so that steering and resuming reach every host.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE run_nodes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    node_rank INTEGER NOT NULL CHECK (node_rank >= 1),
    host TEXT NOT NULL,
    name TEXT NOT NULL,
    run_dir TEXT NOT NULL,
    PRIMARY KEY (run_id, node_rank)
) WITHOUT ROWID;
)sql";

// Version 9: reviewers' comments on a run, each with its author (the login that wrote it) and
// time, kept in the order written.
constexpr std::string_view kVersion9 = R"sql(
CREATE TABLE run_comments (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX run_comments_by_run ON run_comments (run_id, id);
)sql";

// Version 10: a labeling queue shared by a team. One row of settings: its owner (who may change
// them), the labels each pair is to get, how long a claim holds a pair and the guidelines
// (Markdown) annotators read. Each label a client sends carries the client's id for it, so a
// label sent again after a lost connection is applied once. A reviewer's decision on a pair the
// annotators disagree about is kept beside their labels.
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE label_queue (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL DEFAULT '',
    labels_per_pair INTEGER NOT NULL DEFAULT 1 CHECK (labels_per_pair BETWEEN 1 AND 1000),
    claim_seconds REAL NOT NULL DEFAULT 600 CHECK (claim_seconds > 0),
    guidelines TEXT NOT NULL DEFAULT ''
);
INSERT INTO label_queue (id) VALUES (1);

CREATE TABLE label_submissions (
    submission TEXT PRIMARY KEY,
    pair_id INTEGER NOT NULL REFERENCES preference_pairs(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    received_at REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE adjudications (
    pair_id INTEGER PRIMARY KEY REFERENCES preference_pairs(id) ON DELETE CASCADE,
    reviewer TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie', 'skip')),
    note TEXT NOT NULL DEFAULT '',
    decided_at REAL NOT NULL
);
)sql";

// Version 11: who started each run (the login its worker ran as: over SSH, the person who
// logged in), and for a run submitted to a batch scheduler (Slurm) the job that runs it now (a
// resume submits a new one) and what the scheduler last said of it ("PENDING (Resources)").
constexpr std::string_view kVersion11 = R"sql(
ALTER TABLE runs ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN job_id TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN job_state TEXT NOT NULL DEFAULT '';
)sql";

constexpr Migration kMigrations[] = {{1, kVersion1},   {2, kVersion2},  {3, kVersion3},
                                     {4, kVersion4},   {5, kVersion5},  {6, kVersion6},
                                     {7, kVersion7},   {8, kVersion8},  {9, kVersion9},
                                     {10, kVersion10}, {11, kVersion11}};

}  // namespace

std::span<const Migration> runHistoryMigrations() {
    return kMigrations;
}

}  // namespace strata::store
