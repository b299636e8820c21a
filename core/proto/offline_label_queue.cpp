#include "core/proto/offline_label_queue.h"

#include "core/common/ascii.h"
#include "core/common/error.h"
#include "core/common/workspace_paths.h"
#include "core/proto/worker_connection.h"
#include "core/store/migrations.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <random>

namespace strata::proto {

namespace {

// The kept file's own schema; it never holds anything but this desktop's labels and pairs.
constexpr std::string_view kKeptVersion1 = R"sql(
CREATE TABLE unsent_labels (
    position INTEGER PRIMARY KEY,
    submission TEXT NOT NULL UNIQUE,
    pair_id INTEGER NOT NULL,
    annotator TEXT NOT NULL,
    choice TEXT NOT NULL,
    rationale TEXT NOT NULL,
    swapped INTEGER NOT NULL
);
CREATE TABLE refused_labels (
    position INTEGER PRIMARY KEY,
    submission TEXT NOT NULL,
    pair_id INTEGER NOT NULL,
    annotator TEXT NOT NULL,
    choice TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE pairs_in_hand (
    annotator TEXT NOT NULL,
    position INTEGER NOT NULL,
    pair_id INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    response_a TEXT NOT NULL,
    response_b TEXT NOT NULL,
    source_a TEXT NOT NULL,
    source_b TEXT NOT NULL,
    PRIMARY KEY (annotator, pair_id)
);
CREATE TABLE identity (id INTEGER PRIMARY KEY CHECK (id = 1), login TEXT NOT NULL);
)sql";

constexpr store::Migration kKeptMigrations[] = {{1, kKeptVersion1}};

const std::filesystem::path& inOwnFolder(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    return file;
}

// 128 random bits: unique to this label among every desktop's.
std::string newSubmissionId() {
    std::random_device random;
    return fmt::format("{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
}

}  // namespace

std::filesystem::path keptLabelsFile(const WorkerTarget& target) {
    std::string name = target.name().substr(std::string_view("ssh://").size()) + target.workspace;
    for (char& c : name)
        if (!common::isAsciiAlnum(c) && c != '.' && c != '-' && c != '@') c = '_';
    return common::dataFolder() / "kept-labels" / (name + ".db");
}

OfflineLabelQueue::OfflineLabelQueue(std::unique_ptr<store::LabelQueue> host,
                                     const std::filesystem::path& file, int pairsInHand)
    : m_host(std::move(host)),
      m_kept(inOwnFolder(file), store::DatabaseOptions{store::Durability::Full}),
      m_pairsInHand(pairsInHand) {
    store::migrate(m_kept, kKeptMigrations);
}

bool OfflineLabelQueue::whileReachable(const std::function<void()>& work) {
    if (!m_reachable) return false;
    try {
        work();
        return true;
    } catch (const ConnectionLost& lost) {
        m_reachable = false;
        m_lost = lost.what();
        return false;
    }
}

std::string OfflineLabelQueue::identity() {
    std::string login;
    if (whileReachable([&] { login = m_host->identity(); })) {
        m_kept.prepare("INSERT OR REPLACE INTO identity (id, login) VALUES (1, ?1)")
            .bind(1, login)
            .run();
        return login;
    }
    store::Statement kept = m_kept.prepare("SELECT login FROM identity");
    if (!kept.step()) throw ConnectionLost(m_lost);
    return kept.columnText(0);
}

std::string OfflineLabelQueue::who(const std::string& annotator) {
    return annotator.empty() ? identity() : annotator;
}

std::vector<store::PreferencePair> OfflineLabelQueue::claimUpTo(const std::string& annotator,
                                                                int count,
                                                                const std::string& leastSureOf) {
    const std::string name = who(annotator);
    whileReachable([&] {
        sendKept({});
        replacePairsInHand(name,
                           m_host->claimUpTo(name, std::max(count, m_pairsInHand), leastSureOf));
    });
    std::vector<store::PreferencePair> pairs = pairsInHand(name);
    if (!m_reachable && pairs.empty())
        throw ConnectionLost(fmt::format("{}; no pairs are in hand to label meanwhile", m_lost));
    if (pairs.size() > size_t(count)) pairs.resize(size_t(count));
    return pairs;
}

bool OfflineLabelQueue::submit(const store::LabelSubmission& submission) {
    store::LabelSubmission label = submission;
    label.annotator = who(label.annotator);
    if (label.id.empty()) label.id = newSubmissionId();
    {
        store::Transaction transaction(m_kept);
        // A submission id kept before (a script sending its label again) is that label.
        m_kept
            .prepare(
                "INSERT INTO unsent_labels (submission, pair_id, annotator, choice, rationale, "
                "swapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
            .bind(1, label.id)
            .bind(2, label.pairId)
            .bind(3, label.annotator)
            .bind(4, store::choiceName(label.choice))
            .bind(5, label.rationale)
            .bind(6, int(label.swapped))
            .run();
        if (m_kept.changes() == 0) return false;
        m_kept.prepare("DELETE FROM pairs_in_hand WHERE annotator = ?1 AND pair_id = ?2")
            .bind(1, label.annotator)
            .bind(2, label.pairId)
            .run();
        transaction.commit();
    }
    bool applied = true;
    whileReachable([&] { applied = sendKept(label.id); });
    return applied;
}

void OfflineLabelQueue::requireHost() {
    if (!whileReachable([&] { sendKept({}); })) throw ConnectionLost(m_lost);
}

void OfflineLabelQueue::sendKept() {
    m_reachable = true;  // asked to try: the host may be back
    requireHost();
}

bool OfflineLabelQueue::sendKept(const std::string& watched) {
    bool watchedApplied = true;
    for (;;) {
        store::Statement next = m_kept.prepare(
            "SELECT position, submission, pair_id, annotator, choice, rationale, swapped "
            "FROM unsent_labels ORDER BY position LIMIT 1");
        if (!next.step()) return watchedApplied;
        const int64_t position = next.columnInt(0);
        store::LabelSubmission label{
            next.columnInt(2),  next.columnText(3),     store::parseChoice(next.columnText(4)),
            next.columnText(5), next.columnInt(6) != 0, next.columnText(1)};
        next.reset();
        std::string reason;
        try {
            const bool applied = m_host->submit(label);
            if (label.id == watched) watchedApplied = applied;
        } catch (const ConnectionLost&) {
            throw;
        } catch (const common::Error& error) {
            reason = error.what();
        }
        store::Transaction transaction(m_kept);
        if (!reason.empty())
            m_kept
                .prepare(
                    "INSERT INTO refused_labels (submission, pair_id, annotator, choice, reason) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)")
                .bind(1, label.id)
                .bind(2, label.pairId)
                .bind(3, label.annotator)
                .bind(4, store::choiceName(label.choice))
                .bind(5, reason)
                .run();
        m_kept.prepare("DELETE FROM unsent_labels WHERE position = ?1").bind(1, position).run();
        transaction.commit();
    }
}

void OfflineLabelQueue::release(int64_t pairId, const std::string& annotator) {
    const std::string name = who(annotator);
    requireHost();
    m_host->release(pairId, name);
    m_kept.prepare("DELETE FROM pairs_in_hand WHERE annotator = ?1 AND pair_id = ?2")
        .bind(1, name)
        .bind(2, pairId)
        .run();
}

void OfflineLabelQueue::unlabel(int64_t pairId, const std::string& annotator) {
    const std::string name = who(annotator);
    store::Statement kept = m_kept.prepare(
        "SELECT position FROM unsent_labels WHERE pair_id = ?1 AND annotator = ?2 "
        "ORDER BY position DESC LIMIT 1");
    kept.bind(1, pairId).bind(2, name);
    if (!kept.step()) {
        requireHost();
        m_host->unlabel(pairId, name);
        return;
    }
    const int64_t position = kept.columnInt(0);
    kept.reset();
    m_kept.prepare("DELETE FROM unsent_labels WHERE position = ?1").bind(1, position).run();
}

std::vector<store::PreferencePair> OfflineLabelQueue::pairsInHand(const std::string& annotator) {
    store::Statement select = m_kept.prepare(
        "SELECT pair_id, prompt, response_a, response_b, source_a, source_b FROM pairs_in_hand "
        "WHERE annotator = ?1 ORDER BY position");
    select.bind(1, annotator);
    std::vector<store::PreferencePair> pairs;
    while (select.step())
        pairs.push_back({select.columnInt(0), select.columnText(1), select.columnText(2),
                         select.columnText(3), select.columnText(4), select.columnText(5)});
    return pairs;
}

void OfflineLabelQueue::replacePairsInHand(const std::string& annotator,
                                           const std::vector<store::PreferencePair>& pairs) {
    store::Transaction transaction(m_kept);
    m_kept.prepare("DELETE FROM pairs_in_hand WHERE annotator = ?1").bind(1, annotator).run();
    store::Statement insert = m_kept.prepare(
        "INSERT INTO pairs_in_hand (annotator, position, pair_id, prompt, response_a, "
        "response_b, source_a, source_b) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (size_t i = 0; i < pairs.size(); ++i) {
        const store::PreferencePair& pair = pairs[i];
        insert.reset();
        insert.bind(1, annotator)
            .bind(2, int64_t(i))
            .bind(3, pair.id)
            .bind(4, pair.prompt)
            .bind(5, pair.responseA)
            .bind(6, pair.responseB)
            .bind(7, pair.sourceA)
            .bind(8, pair.sourceB)
            .run();
    }
    transaction.commit();
}

int64_t OfflineLabelQueue::unsent() {
    store::Statement count = m_kept.prepare("SELECT count(*) FROM unsent_labels");
    count.step();
    return count.columnInt(0);
}

std::vector<std::string> OfflineLabelQueue::refused() {
    store::Statement select =
        m_kept.prepare("SELECT pair_id, choice, reason FROM refused_labels ORDER BY position");
    std::vector<std::string> refused;
    while (select.step())
        refused.push_back(fmt::format("pair {} ({}): {}", select.columnInt(0), select.columnText(1),
                                      select.columnText(2)));
    return refused;
}

int64_t OfflineLabelQueue::importPairs(const std::filesystem::path& file, const std::string& by) {
    requireHost();
    return m_host->importPairs(file, by);
}

int64_t OfflineLabelQueue::addPairs(const std::vector<store::PreferencePair>& pairs,
                                    const std::string& by) {
    requireHost();
    return m_host->addPairs(pairs, by);
}

int64_t OfflineLabelQueue::exportPreferences(const std::filesystem::path& file) {
    requireHost();
    return m_host->exportPreferences(file);
}

store::QueueStats OfflineLabelQueue::stats() {
    requireHost();
    return m_host->stats();
}

std::vector<store::Disagreement> OfflineLabelQueue::disagreements(const std::string& reviewer) {
    requireHost();
    return m_host->disagreements(reviewer);
}

void OfflineLabelQueue::adjudicate(int64_t pairId, const std::string& reviewer,
                                   store::Choice choice, const std::string& note) {
    requireHost();
    m_host->adjudicate(pairId, reviewer, choice, note);
}

store::QueueSettings OfflineLabelQueue::settings() {
    requireHost();
    return m_host->settings();
}

void OfflineLabelQueue::configure(const store::QueueSettings& settings, const std::string& by) {
    requireHost();
    m_host->configure(settings, by);
}

}  // namespace strata::proto
