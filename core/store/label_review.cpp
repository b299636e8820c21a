#include "core/store/label_review.h"

#include "core/common/error.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <utility>

namespace strata::store {

namespace {

// A gap between two labels longer than this is a break, not the time one label took.
constexpr double kBreakSeconds = 600;

// counts[i][j]: label pairs where the first annotator (by name) chose i and the second j, with
// A, B and tie as 0, 1 and 2.
using ChoiceCounts = std::array<std::array<double, 3>, 3>;

size_t decisionIndex(Choice choice) {
    return choice == Choice::A ? 0 : choice == Choice::B ? 1 : 2;
}

Agreement cohensKappa(const ChoiceCounts& counts) {
    double total = 0, agree = 0, chance = 0;
    std::array<double, 3> first{}, second{};
    for (size_t i = 0; i < 3; ++i)
        for (size_t j = 0; j < 3; ++j) {
            total += counts[i][j];
            first[i] += counts[i][j];
            second[j] += counts[i][j];
        }
    Agreement agreement;
    if (total == 0) return agreement;
    for (size_t i = 0; i < 3; ++i) {
        agree += counts[i][i];
        chance += (first[i] / total) * (second[i] / total);
    }
    agreement.numComparisons = int64_t(total);
    agreement.observed = agree / total;
    agreement.kappa = chance < 1 ? (agreement.observed - chance) / (1 - chance)
                                 : (agreement.observed == 1 ? 1.0 : 0.0);
    return agreement;
}

// Every two annotators' decisions on the same pair: all of them together, and per two names.
struct DecisionCounts {
    ChoiceCounts all{};
    std::map<std::pair<std::string, std::string>, ChoiceCounts> byAnnotators;
};

DecisionCounts countDecisions(Database& db) {
    Statement select = db.prepare(
        "SELECT pair_id, annotator, choice FROM labels WHERE choice <> 'skip' "
        "ORDER BY pair_id, annotator");
    DecisionCounts counts;
    std::vector<std::pair<std::string, size_t>> decisions;  // one pair's, by annotator
    auto comparePair = [&] {
        for (size_t i = 0; i < decisions.size(); ++i)
            for (size_t j = i + 1; j < decisions.size(); ++j) {
                const size_t a = decisions[i].second, b = decisions[j].second;
                counts.all[a][b] += 1;
                counts.byAnnotators[{decisions[i].first, decisions[j].first}][a][b] += 1;
            }
        decisions.clear();
    };
    int64_t currentPair = -1;
    while (select.step()) {
        if (select.columnInt(0) != currentPair) comparePair();
        currentPair = select.columnInt(0);
        decisions.emplace_back(select.columnText(1),
                               decisionIndex(parseChoice(select.columnText(2))));
    }
    comparePair();
    return counts;
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    const size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + ptrdiff_t(middle), values.end());
    return values[middle];
}

}  // namespace

Agreement LabelReview::agreement() {
    return cohensKappa(countDecisions(m_store.database()).all);
}

std::vector<AnnotatorAgreement> LabelReview::pairwiseAgreement() {
    std::vector<AnnotatorAgreement> agreements;
    for (const auto& [names, counts] : countDecisions(m_store.database()).byAnnotators)
        agreements.push_back({names.first, names.second, cohensKappa(counts)});
    return agreements;
}

std::vector<AnnotatorProgress> LabelReview::progress() {
    Statement select = m_store.database().prepare(
        "SELECT annotator, labeled_at FROM labels ORDER BY annotator, labeled_at");
    std::vector<AnnotatorProgress> progress;
    std::vector<double> gaps;
    auto finish = [&] {
        if (progress.empty()) return;
        progress.back().secondsPerLabel = median(gaps);
        progress.back().counts = m_store.counts(progress.back().annotator);
        gaps.clear();
    };
    while (select.step()) {
        const std::string annotator = select.columnText(0);
        const double labeledAt = select.columnDouble(1);
        if (progress.empty() || progress.back().annotator != annotator) {
            finish();
            progress.push_back({annotator, {}, 0, labeledAt});
            continue;
        }
        const double gap = labeledAt - progress.back().lastLabeledAt;
        if (gap <= kBreakSeconds) gaps.push_back(gap);
        progress.back().lastLabeledAt = labeledAt;
    }
    finish();
    return progress;
}

std::vector<Disagreement> LabelReview::disagreements() {
    Database& db = m_store.database();
    Statement select = db.prepare(
        "SELECT pair_id FROM labels WHERE choice <> 'skip' GROUP BY pair_id "
        "HAVING count(DISTINCT choice) > 1 ORDER BY pair_id");
    Statement labels = db.prepare(
        "SELECT pair_id, annotator, choice, rationale, labeled_at, swapped FROM labels "
        "WHERE pair_id = ?1 ORDER BY annotator");
    Statement decision = db.prepare(
        "SELECT reviewer, choice, note, decided_at FROM adjudications WHERE pair_id = ?1");
    std::vector<Disagreement> disagreements;
    while (select.step()) {
        const int64_t pairId = select.columnInt(0);
        Disagreement disagreement{m_store.pair(pairId), {}, std::nullopt};
        labels.reset();
        labels.bind(1, pairId);
        while (labels.step())
            disagreement.labels.push_back({pairId, labels.columnText(1),
                                           parseChoice(labels.columnText(2)), labels.columnText(3),
                                           labels.columnDouble(4), labels.columnInt(5) != 0});
        decision.reset();
        decision.bind(1, pairId);
        if (decision.step())
            disagreement.decision =
                Adjudication{decision.columnText(0), parseChoice(decision.columnText(1)),
                             decision.columnText(2), decision.columnDouble(3)};
        disagreements.push_back(std::move(disagreement));
    }
    return disagreements;
}

void LabelReview::adjudicate(int64_t pairId, const std::string& reviewer, Choice choice,
                             const std::string& note) {
    Database& db = m_store.database();
    if (reviewer.empty()) common::fail("{}: a decision needs a reviewer name", db.path().string());
    m_store.pair(pairId);
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    db.prepare(
          "INSERT INTO adjudications (pair_id, reviewer, choice, note, decided_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (pair_id) DO UPDATE SET "
          "reviewer = excluded.reviewer, choice = excluded.choice, note = excluded.note, "
          "decided_at = excluded.decided_at")
        .bind(1, pairId)
        .bind(2, reviewer)
        .bind(3, choiceName(choice))
        .bind(4, note)
        .bind(5, now)
        .run();
}

}  // namespace strata::store
