// Human preferences in the workspace's strata.db: pairs of responses to one prompt, and the
// label each annotator gives a pair (A better, B better, a tie, or skipped). A connection of its
// own with synchronous=FULL, apart from RunHistory's: a label is on disk when label() returns,
// since an annotator's minutes cannot be replayed the way a run's metrics can. One label per
// pair and annotator; labeling again replaces it. Annotators sharing one queue claim pairs
// (claimNext), so two of them are not handed the same pair unless each pair is to be labeled
// more than once. exportPreferences() writes the A/B choices as the {prompt, chosen, rejected}
// JSONL that reward-model and DPO training read; importPreferences() reads that format (or
// {prompt, response_a, response_b}) into pairs, with core/data's reader. agreement() and
// positionBias() are the quality measures the panel shows. A reward model's margins over the pairs
// (recordScores) let the queue hand out the pairs it is least sure about first. Not the labeling
// panel: ui/ draws pairs and calls this.
#pragma once

#include "core/store/database.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::store {

enum class Choice { A, B, Tie, Skip };
const char* choiceName(Choice choice);  // "a", "b", "tie", "skip"
// Throws common::Error naming the value when it is not a choice name.
Choice parseChoice(std::string_view name);

struct PreferencePair {
    int64_t id = 0;  // set by the store; ignored by addPairs()
    std::string prompt;
    std::string responseA;
    std::string responseB;
    std::string sourceA;  // where response A came from: "run:12/step-800", "file:prefs.jsonl:3"
    std::string sourceB;
};

struct Label {
    int64_t pairId = 0;
    std::string annotator;
    Choice choice = Choice::Skip;
    std::string rationale;
    double labeledAt = 0;  // unix seconds
    bool swapped = false;  // response B was shown on the left
};

// Inter-annotator agreement over the pairs two or more annotators decided (A, B or tie; skips
// left out): Cohen's kappa over every two annotators' labels of the same pair.
struct Agreement {
    int64_t numComparisons = 0;  // label pairs compared
    double observed = 0;         // share of them that agree
    double kappa = 0;            // (observed - chance) / (1 - chance); 0 when nothing to compare
};

// How often the response shown on the left won, over the A or B decisions: 0.5 is no bias.
struct PositionBias {
    int64_t numDecisions = 0;
    double leftWins = 0;  // share of decisions for the left side
};

// A reward model's view of a pair: r(A) - r(B), in the model's raw units.
struct PairScore {
    int64_t pairId = 0;
    double margin = 0;
};

struct LabelCounts {
    int64_t numPairs = 0;
    int64_t numLabeledPairs = 0;  // pairs with at least one label (of anyone, or of the annotator)
    int64_t numA = 0;
    int64_t numB = 0;
    int64_t numTie = 0;
    int64_t numSkip = 0;
};

class LabelStore {
public:
    // Opens (creating) the database with Durability::Full and brings its schema to this build's
    // version, as RunHistory does.
    explicit LabelStore(const std::filesystem::path& file);

    // Adds the pairs in one transaction and returns their ids in order. A pair with an empty
    // prompt or response is refused (nothing is added) with an error naming its position.
    std::vector<int64_t> addPairs(const std::vector<PreferencePair>& pairs);
    // Throws common::Error when there is no such pair.
    PreferencePair pair(int64_t pairId);
    // The next pair for `annotator` from a shared queue, claimed for them: one they have not
    // labeled, with fewer than `labelsPerPair` labels, and not claimed by someone else in the last
    // ten minutes. A pair they already hold comes first (after a restart). nullopt when none.
    // With `leastSureOf` (a scorer of recordScores), the pairs it scored come before the others,
    // smallest |margin| first.
    std::optional<PreferencePair> claimNext(const std::string& annotator, int labelsPerPair = 1,
                                            const std::string& leastSureOf = {});
    // Stores, or replaces, `annotator`'s label of the pair and releases their claim; durable when
    // it returns. `swapped`: response B was on the left. Throws common::Error for an unknown pair
    // id or an empty annotator.
    void label(int64_t pairId, const std::string& annotator, Choice choice,
               const std::string& rationale = {}, bool swapped = false);
    // Takes back `annotator`'s label of the pair (the panel's undo); the pair is theirs again.
    void unlabel(int64_t pairId, const std::string& annotator);
    // Gives up `annotator`'s claim of the pair, so the queue may hand it to someone else now
    // rather than when the claim expires. Throws common::Error for an unknown pair id.
    void release(int64_t pairId, const std::string& annotator);
    // Labels by pair id then annotator; an empty annotator means everyone's.
    std::vector<Label> labels(const std::string& annotator = {});
    // Counts over everyone's labels, or one annotator's.
    LabelCounts counts(const std::string& annotator = {});
    // Writes one {"prompt","chosen","rejected"} line per A or B label (ties and skips are left
    // out), in pair then annotator order, through a temporary file renamed when complete.
    // Returns the number of lines.
    int64_t exportPreferences(const std::filesystem::path& path);
    // Adds one pair per line of a JSONL file: {"prompt", "chosen", "rejected"} (TRL's preference
    // format; chosen becomes A) or {"prompt", "response_a", "response_b"}. All or nothing: a bad
    // line is an error naming the file and line, and no pair is added. Returns the count.
    int64_t importPreferences(const std::filesystem::path& path);

    // The pairs nobody has labeled that `scorer` has not scored, by id.
    std::vector<PreferencePair> unscoredPairs(const std::string& scorer);
    // Stores (or replaces) `scorer`'s margins in one transaction; an unknown pair id is an error
    // naming it, and nothing is stored.
    void recordScores(const std::string& scorer, const std::vector<PairScore>& scores);
    // The scorers that have scored pairs, sorted.
    std::vector<std::string> scorers();
    // How many pairs `scorer` has scored.
    int64_t scoredPairs(const std::string& scorer);

    Agreement agreement();
    PositionBias positionBias(const std::string& annotator = {});

    Database& database() { return m_db; }

private:
    void requireAnnotator(const std::string& annotator) const;

    Database m_db;
};

}  // namespace strata::store
