#include "core/store/label_store.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/data/preference_data.h"
#include "core/store/schema.h"

#include <chrono>

namespace strata::store {

namespace {

constexpr Choice kChoices[] = {Choice::A, Choice::B, Choice::Tie, Choice::Skip};
// A claim may hold a pair from a minute to a week.
constexpr double kMinClaimSeconds = 60;
constexpr double kMaxClaimSeconds = 7 * 24 * 3600;
// Pairs one annotator may hold at once (a desktop keeps some in hand to label offline).
constexpr int kMaxPairsInHand = 1000;

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

PreferencePair readPair(const Statement& select) {
    return {select.columnInt(0),  select.columnText(1), select.columnText(2),
            select.columnText(3), select.columnText(4), select.columnText(5)};
}

}  // namespace

// In the order of the enum's values.
constexpr const char* kChoiceNames[] = {"a", "b", "tie", "skip"};

const char* choiceName(Choice choice) {
    return kChoiceNames[size_t(choice)];
}

Choice parseChoice(std::string_view name) {
    for (Choice choice : kChoices)
        if (name == choiceName(choice)) return choice;
    common::fail("unknown preference choice '{}' (expected a, b, tie or skip)", name);
}

LabelStore::LabelStore(const std::filesystem::path& file)
    : m_db(file, DatabaseOptions{Durability::Full}) {
    migrate(m_db, runHistoryMigrations());
}

std::vector<int64_t> LabelStore::addPairs(const std::vector<PreferencePair>& pairs,
                                          const std::string& by) {
    for (size_t i = 0; i < pairs.size(); ++i) {
        const PreferencePair& pair = pairs[i];
        const char* missing = pair.prompt.empty()      ? "prompt"
                              : pair.responseA.empty() ? "response A"
                              : pair.responseB.empty() ? "response B"
                                                       : nullptr;
        if (missing)
            common::fail("{}: preference pair {} of {} has an empty {}; no pairs were added",
                         m_db.path().string(), i + 1, pairs.size(), missing);
    }
    Transaction transaction(m_db);
    Statement insert = m_db.prepare(
        "INSERT INTO preference_pairs (prompt, response_a, response_b, source_a, source_b, "
        "added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    const double addedAt = now();
    std::vector<int64_t> ids;
    for (const PreferencePair& pair : pairs) {
        insert.bind(1, pair.prompt)
            .bind(2, pair.responseA)
            .bind(3, pair.responseB)
            .bind(4, pair.sourceA)
            .bind(5, pair.sourceB)
            .bind(6, addedAt)
            .run();
        ids.push_back(m_db.lastInsertRowId());
    }
    if (!by.empty())
        m_db.prepare("UPDATE label_queue SET owner = ?1 WHERE owner = ''").bind(1, by).run();
    transaction.commit();
    return ids;
}

QueueSettings LabelStore::queueSettings() {
    Statement select = m_db.prepare(
        "SELECT owner, labels_per_pair, claim_seconds, guidelines FROM label_queue WHERE id = 1");
    select.step();
    return {select.columnText(0), int(select.columnInt(1)), select.columnDouble(2),
            select.columnText(3)};
}

void LabelStore::configureQueue(const QueueSettings& settings, const std::string& by) {
    requireAnnotator(by);
    const std::string where = m_db.path().string();
    if (settings.labelsPerPair < 1 || settings.labelsPerPair > 1000)
        common::fail("{}: labels per pair must be 1 to 1000, not {}", where,
                     settings.labelsPerPair);
    if (!(settings.claimSeconds >= kMinClaimSeconds && settings.claimSeconds <= kMaxClaimSeconds))
        common::fail("{}: a claim must hold a pair for 1 minute to 7 days, not {} seconds", where,
                     settings.claimSeconds);
    if (settings.guidelines.size() > kMaxGuidelinesBytes)
        common::fail("{}: guidelines of {} bytes are over the 1 MiB cap", where,
                     settings.guidelines.size());
    Transaction transaction(m_db);
    const std::string owner = queueSettings().owner;
    if (!owner.empty() && owner != by)
        common::fail("{}: the labeling queue belongs to {}; only they can change its settings",
                     where, owner);
    m_db.prepare(
            "UPDATE label_queue SET owner = ?1, labels_per_pair = ?2, claim_seconds = ?3, "
            "guidelines = ?4 WHERE id = 1")
        .bind(1, settings.owner.empty() ? by : settings.owner)
        .bind(2, settings.labelsPerPair)
        .bind(3, settings.claimSeconds)
        .bind(4, settings.guidelines)
        .run();
    transaction.commit();
}

PreferencePair LabelStore::pair(int64_t pairId) {
    Statement select = m_db.prepare(
        "SELECT id, prompt, response_a, response_b, source_a, source_b FROM preference_pairs "
        "WHERE id = ?1");
    select.bind(1, pairId);
    if (!select.step())
        common::fail("{}: no preference pair with id {}", m_db.path().string(), pairId);
    return readPair(select);
}

std::optional<PreferencePair> LabelStore::claimNext(const std::string& annotator,
                                                    std::optional<int> labelsPerPair,
                                                    const std::string& leastSureOf) {
    std::vector<PreferencePair> pairs = claim(annotator, 1, labelsPerPair, leastSureOf);
    if (pairs.empty()) return std::nullopt;
    return std::move(pairs.front());
}

std::vector<PreferencePair> LabelStore::claimUpTo(const std::string& annotator, int count,
                                                  const std::string& leastSureOf) {
    if (count < 1 || count > kMaxPairsInHand)
        common::fail("{}: an annotator holds 1 to {} pairs at once, not {}", m_db.path().string(),
                     kMaxPairsInHand, count);
    return claim(annotator, count, std::nullopt, leastSureOf);
}

std::vector<PreferencePair> LabelStore::claim(const std::string& annotator, int count,
                                              std::optional<int> labelsPerPair,
                                              const std::string& leastSureOf) {
    requireAnnotator(annotator);
    if (labelsPerPair && *labelsPerPair < 1)
        common::fail("{}: labels per pair must be at least 1, not {}", m_db.path().string(),
                     *labelsPerPair);
    Transaction transaction(m_db);
    const QueueSettings settings = queueSettings();
    const double time = now();
    // Labels given plus other annotators' live claims must leave room for one more label. The
    // pairs the annotator holds come first; then, with a scorer, its least sure pairs (unscored
    // ones after every scored one).
    Statement select = m_db.prepare(
        "SELECT p.id, p.prompt, p.response_a, p.response_b, p.source_a, p.source_b "
        "FROM preference_pairs p LEFT JOIN pair_scores s ON s.pair_id = p.id AND s.scorer = ?4 "
        "WHERE NOT EXISTS "
        "(SELECT 1 FROM labels l WHERE l.pair_id = p.id AND l.annotator = ?1) "
        "AND (SELECT count(*) FROM labels l WHERE l.pair_id = p.id) + "
        "(SELECT count(*) FROM label_claims c WHERE c.pair_id = p.id AND c.annotator <> ?1 "
        "AND c.claimed_at > ?3) < ?2 "
        "ORDER BY EXISTS (SELECT 1 FROM label_claims c WHERE c.pair_id = p.id "
        "AND c.annotator = ?1) DESC, abs(s.margin) ASC NULLS LAST, p.id LIMIT ?5");
    select.bind(1, annotator)
        .bind(2, labelsPerPair.value_or(settings.labelsPerPair))
        .bind(3, time - settings.claimSeconds)
        .bind(4, leastSureOf)
        .bind(5, count);
    std::vector<PreferencePair> pairs;
    while (select.step())
        pairs.push_back(readPair(select));
    select.reset();
    Statement upsert = m_db.prepare(
        "INSERT INTO label_claims (pair_id, annotator, claimed_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (pair_id, annotator) DO UPDATE SET claimed_at = excluded.claimed_at");
    for (const PreferencePair& pair : pairs) {
        upsert.reset();
        upsert.bind(1, pair.id).bind(2, annotator).bind(3, time).run();
    }
    transaction.commit();
    return pairs;
}

bool LabelStore::label(int64_t pairId, const std::string& annotator, Choice choice,
                       const std::string& rationale, bool swapped, const std::string& submission) {
    requireAnnotator(annotator);
    pair(pairId);  // an unknown id gets its own message rather than a foreign key failure
    // One transaction, so one commit: with synchronous=FULL the label is on disk when it returns.
    Transaction transaction(m_db);
    if (!submission.empty()) {
        Statement record = m_db.prepare(
            "INSERT INTO label_submissions (submission, pair_id, annotator, received_at) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
        record.bind(1, submission).bind(2, pairId).bind(3, annotator).bind(4, now()).run();
        if (m_db.changes() == 0) return false;
    }
    m_db.prepare(
            "INSERT INTO labels (pair_id, annotator, choice, rationale, labeled_at, swapped) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (pair_id, annotator) DO UPDATE SET "
            "choice = excluded.choice, rationale = excluded.rationale, "
            "labeled_at = excluded.labeled_at, swapped = excluded.swapped")
        .bind(1, pairId)
        .bind(2, annotator)
        .bind(3, choiceName(choice))
        .bind(4, rationale)
        .bind(5, now())
        .bind(6, int(swapped))
        .run();
    m_db.prepare("DELETE FROM label_claims WHERE pair_id = ?1 AND annotator = ?2")
        .bind(1, pairId)
        .bind(2, annotator)
        .run();
    transaction.commit();
    return true;
}

void LabelStore::unlabel(int64_t pairId, const std::string& annotator) {
    requireAnnotator(annotator);
    pair(pairId);
    Transaction transaction(m_db);
    m_db.prepare("DELETE FROM labels WHERE pair_id = ?1 AND annotator = ?2")
        .bind(1, pairId)
        .bind(2, annotator)
        .run();
    m_db.prepare(
            "INSERT INTO label_claims (pair_id, annotator, claimed_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (pair_id, annotator) DO UPDATE SET claimed_at = excluded.claimed_at")
        .bind(1, pairId)
        .bind(2, annotator)
        .bind(3, now())
        .run();
    transaction.commit();
}

void LabelStore::release(int64_t pairId, const std::string& annotator) {
    requireAnnotator(annotator);
    pair(pairId);
    m_db.prepare("DELETE FROM label_claims WHERE pair_id = ?1 AND annotator = ?2")
        .bind(1, pairId)
        .bind(2, annotator)
        .run();
}

std::vector<Label> LabelStore::labels(const std::string& annotator) {
    Statement select = m_db.prepare(
        "SELECT pair_id, annotator, choice, rationale, labeled_at, swapped FROM labels "
        "WHERE ?1 = '' OR annotator = ?1 ORDER BY pair_id, annotator");
    select.bind(1, annotator);
    std::vector<Label> labels;
    while (select.step())
        labels.push_back({select.columnInt(0), select.columnText(1),
                          parseChoice(select.columnText(2)), select.columnText(3),
                          select.columnDouble(4), select.columnInt(5) != 0});
    return labels;
}

LabelCounts LabelStore::counts(const std::string& annotator) {
    Statement select = m_db.prepare(
        "SELECT (SELECT count(*) FROM preference_pairs), count(DISTINCT pair_id), "
        "total(choice = 'a'), total(choice = 'b'), total(choice = 'tie'), "
        "total(choice = 'skip') FROM labels WHERE ?1 = '' OR annotator = ?1");
    select.bind(1, annotator);
    select.step();
    return {select.columnInt(0), select.columnInt(1), select.columnInt(2),
            select.columnInt(3), select.columnInt(4), select.columnInt(5)};
}

int64_t LabelStore::exportPreferences(const std::filesystem::path& path) {
    common::AtomicFile file(path);
    int64_t numLines = 0;
    ExportCursor cursor;
    for (;;) {
        std::vector<std::string> lines = preferenceLines(cursor, 4096);
        if (lines.empty()) break;
        for (const std::string& line : lines) {
            file.write(line);
            file.write("\n");
        }
        numLines += int64_t(lines.size());
    }
    file.commit();
    return numLines;
}

std::vector<std::string> LabelStore::preferenceLines(ExportCursor& cursor, size_t maxLines) {
    // A pair a reviewer decided is exported once, as decided; the annotators' labels of it stay
    // in the history. The decision sorts as annotator "", before every name.
    Statement select = m_db.prepare(
        "SELECT p.prompt, p.response_a, p.response_b, e.choice, e.pair_id, e.annotator FROM ("
        "SELECT l.pair_id, l.annotator, l.choice FROM labels l WHERE NOT EXISTS "
        "(SELECT 1 FROM adjudications d WHERE d.pair_id = l.pair_id) "
        "UNION ALL SELECT d.pair_id, '', d.choice FROM adjudications d) e "
        "JOIN preference_pairs p ON p.id = e.pair_id "
        "WHERE e.choice IN ('a', 'b') AND (e.pair_id, e.annotator) > (?1, ?2) "
        "ORDER BY e.pair_id, e.annotator LIMIT ?3");
    select.bind(1, cursor.pairId).bind(2, cursor.annotator).bind(3, int64_t(maxLines));
    std::vector<std::string> lines;
    while (select.step()) {
        const bool aWins = parseChoice(select.columnText(3)) == Choice::A;
        common::JsonWriter line;
        line.beginObject()
            .field("prompt", select.columnText(0))
            .field("chosen", select.columnText(aWins ? 1 : 2))
            .field("rejected", select.columnText(aWins ? 2 : 1))
            .endObject();
        lines.push_back(line.take());
        cursor = {select.columnInt(4), select.columnText(5)};
    }
    return lines;
}

int64_t LabelStore::importPreferences(const std::filesystem::path& path, const std::string& by) {
    std::vector<PreferencePair> pairs = readPairs(path);
    addPairs(pairs, by);
    return int64_t(pairs.size());
}

std::vector<PreferencePair> LabelStore::readPairs(const std::filesystem::path& path) {
    std::vector<PreferencePair> pairs;
    const std::string name = path.filename().string();
    for (data::PreferenceRecord& record : data::readPreferenceRecords(path)) {
        PreferencePair pair;
        pair.prompt = std::move(record.prompt);
        pair.responseA = std::move(record.first);
        pair.responseB = std::move(record.second);
        pair.sourceA =
            fmt::format("file:{}:{}:{}", name, record.line, record.labeled ? "chosen" : "a");
        pair.sourceB =
            fmt::format("file:{}:{}:{}", name, record.line, record.labeled ? "rejected" : "b");
        pairs.push_back(std::move(pair));
    }
    return pairs;
}

std::vector<PreferencePair> LabelStore::unscoredPairs(const std::string& scorer) {
    Statement select = m_db.prepare(
        "SELECT p.id, p.prompt, p.response_a, p.response_b, p.source_a, p.source_b "
        "FROM preference_pairs p WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.pair_id = p.id) "
        "AND NOT EXISTS (SELECT 1 FROM pair_scores s WHERE s.pair_id = p.id AND s.scorer = ?1) "
        "ORDER BY p.id");
    select.bind(1, scorer);
    std::vector<PreferencePair> pairs;
    while (select.step())
        pairs.push_back(readPair(select));
    return pairs;
}

void LabelStore::recordScores(const std::string& scorer, const std::vector<PairScore>& scores) {
    if (scorer.empty()) common::fail("{}: a pair score needs a scorer", m_db.path().string());
    Transaction transaction(m_db);
    Statement exists = m_db.prepare("SELECT 1 FROM preference_pairs WHERE id = ?1");
    Statement upsert = m_db.prepare(
        "INSERT INTO pair_scores (pair_id, scorer, margin, scored_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (scorer, pair_id) DO UPDATE SET margin = excluded.margin, "
        "scored_at = excluded.scored_at");
    const double time = now();
    for (const PairScore& score : scores) {
        exists.reset();
        exists.bind(1, score.pairId);
        if (!exists.step())
            common::fail("{}: no preference pair with id {} to score", m_db.path().string(),
                         score.pairId);
        upsert.bind(1, score.pairId).bind(2, scorer).bind(3, score.margin).bind(4, time).run();
    }
    transaction.commit();
}

std::vector<std::string> LabelStore::scorers() {
    Statement select = m_db.prepare("SELECT DISTINCT scorer FROM pair_scores ORDER BY scorer");
    std::vector<std::string> names;
    while (select.step())
        names.push_back(select.columnText(0));
    return names;
}

int64_t LabelStore::scoredPairs(const std::string& scorer) {
    Statement select = m_db.prepare("SELECT count(*) FROM pair_scores WHERE scorer = ?1");
    select.bind(1, scorer);
    select.step();
    return select.columnInt(0);
}

PositionBias LabelStore::positionBias(const std::string& annotator) {
    Statement select = m_db.prepare(
        "SELECT count(*), total((choice = 'a') = (swapped = 0)) FROM labels "
        "WHERE choice IN ('a', 'b') AND (?1 = '' OR annotator = ?1)");
    select.bind(1, annotator);
    select.step();
    PositionBias bias;
    bias.numDecisions = select.columnInt(0);
    if (bias.numDecisions > 0) bias.leftWins = select.columnDouble(1) / double(bias.numDecisions);
    return bias;
}

void LabelStore::requireAnnotator(const std::string& annotator) const {
    if (annotator.empty())
        common::fail("{}: a label needs an annotator name", m_db.path().string());
}

}  // namespace strata::store
