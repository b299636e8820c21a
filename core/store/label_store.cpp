#include "core/store/label_store.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/store/schema.h"

#include <chrono>

namespace strata::store {

namespace {

constexpr Choice kChoices[] = {Choice::A, Choice::B, Choice::Tie, Choice::Skip};

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

PreferencePair readPair(const Statement& select) {
    return {select.columnInt(0),  select.columnText(1), select.columnText(2),
            select.columnText(3), select.columnText(4), select.columnText(5)};
}

}  // namespace

const char* choiceName(Choice choice) {
    switch (choice) {
        case Choice::A:
            return "a";
        case Choice::B:
            return "b";
        case Choice::Tie:
            return "tie";
        case Choice::Skip:
            return "skip";
    }
    return "skip";
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

std::vector<int64_t> LabelStore::addPairs(const std::vector<PreferencePair>& pairs) {
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
    transaction.commit();
    return ids;
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

std::optional<PreferencePair> LabelStore::nextUnlabeled(const std::string& annotator) {
    requireAnnotator(annotator);
    Statement select = m_db.prepare(
        "SELECT p.id, p.prompt, p.response_a, p.response_b, p.source_a, p.source_b "
        "FROM preference_pairs p WHERE NOT EXISTS "
        "(SELECT 1 FROM labels l WHERE l.pair_id = p.id AND l.annotator = ?1) "
        "ORDER BY p.id LIMIT 1");
    select.bind(1, annotator);
    if (!select.step()) return std::nullopt;
    return readPair(select);
}

void LabelStore::label(int64_t pairId, const std::string& annotator, Choice choice,
                       const std::string& rationale) {
    requireAnnotator(annotator);
    pair(pairId);  // an unknown id gets its own message rather than a foreign key failure
    // One statement, so one commit: with synchronous=FULL the label is on disk when it returns.
    m_db.prepare(
            "INSERT INTO labels (pair_id, annotator, choice, rationale, labeled_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (pair_id, annotator) DO UPDATE SET "
            "choice = excluded.choice, rationale = excluded.rationale, "
            "labeled_at = excluded.labeled_at")
        .bind(1, pairId)
        .bind(2, annotator)
        .bind(3, choiceName(choice))
        .bind(4, rationale)
        .bind(5, now())
        .run();
}

std::vector<Label> LabelStore::labels(const std::string& annotator) {
    Statement select = m_db.prepare(
        "SELECT pair_id, annotator, choice, rationale, labeled_at FROM labels "
        "WHERE ?1 = '' OR annotator = ?1 ORDER BY pair_id, annotator");
    select.bind(1, annotator);
    std::vector<Label> labels;
    while (select.step())
        labels.push_back({select.columnInt(0), select.columnText(1),
                          parseChoice(select.columnText(2)), select.columnText(3),
                          select.columnDouble(4)});
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
    Statement select = m_db.prepare(
        "SELECT p.prompt, p.response_a, p.response_b, l.choice FROM labels l "
        "JOIN preference_pairs p ON p.id = l.pair_id WHERE l.choice IN ('a', 'b') "
        "ORDER BY l.pair_id, l.annotator");
    common::AtomicFile file(path);
    int64_t numLines = 0;
    while (select.step()) {
        const bool aWins = parseChoice(select.columnText(3)) == Choice::A;
        common::JsonWriter line;
        line.beginObject()
            .field("prompt", select.columnText(0))
            .field("chosen", select.columnText(aWins ? 1 : 2))
            .field("rejected", select.columnText(aWins ? 2 : 1))
            .endObject();
        file.write(line.str());
        file.write("\n");
        ++numLines;
    }
    file.commit();
    return numLines;
}

void LabelStore::requireAnnotator(const std::string& annotator) const {
    if (annotator.empty())
        common::fail("{}: a label needs an annotator name", m_db.path().string());
}

}  // namespace strata::store
