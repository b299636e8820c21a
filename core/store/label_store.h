// Human preferences in the workspace's strata.db: pairs of responses to one prompt, and the
// label each annotator gives a pair (A better, B better, a tie, or skipped). A connection of its
// own with synchronous=FULL, apart from RunHistory's: a label is on disk when label() returns,
// since an annotator's minutes cannot be replayed the way a run's metrics can. One label per
// pair and annotator; labeling again replaces it. Annotators sharing one queue claim pairs
// (claimNext), so two of them are not handed the same pair unless each pair is to be labeled
// more than once; the queue's settings (labels per pair, how long a claim holds, guidelines)
// belong to its owner. exportPreferences() writes the A/B choices as the {prompt, chosen,
// rejected} JSONL that reward-model and DPO training read; importPreferences() reads that format
// (or {prompt, response_a, response_b}) into pairs, with core/data's reader. positionBias() is a
// quality measure the panel shows (agreement and adjudication: label_review.h). A reward model's
// margins over the pairs (recordScores) let the queue hand out the pairs it is least sure about
// first. Not the labeling panel: ui/ draws pairs and calls this.
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

// Guidelines are a page to read, not a document store.
inline constexpr size_t kMaxGuidelinesBytes = size_t(1) << 20;

// How a team's queue works; one per workspace.
struct QueueSettings {
    std::string owner;  // who may change the settings; empty until someone imports or configures
    int labelsPerPair = 1;
    double claimSeconds = 600;  // a claim older than this frees its pair (a closed laptop)
    std::string guidelines;     // Markdown, shown beside the pair
};

// Where an export page ends: the last (pair, annotator) label written.
struct ExportCursor {
    int64_t pairId = 0;
    std::string annotator;
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
    // prompt or response is refused (nothing is added) with an error naming its position. `by`,
    // when given, becomes the queue's owner if it has none.
    std::vector<int64_t> addPairs(const std::vector<PreferencePair>& pairs,
                                  const std::string& by = {});
    // Throws common::Error when there is no such pair.
    PreferencePair pair(int64_t pairId);
    // The queue's settings.
    QueueSettings queueSettings();
    // Replaces the settings as `by`: the owner, or anyone while there is none (they become it;
    // an owner hands the queue on by naming another). Throws common::Error naming the owner
    // otherwise, and for a setting out of range.
    void configureQueue(const QueueSettings& settings, const std::string& by);

    // The next pair for `annotator` from a shared queue, claimed for them: one they have not
    // labeled, with fewer than `labelsPerPair` labels (default: the queue's setting), and not
    // claimed by someone else within the queue's claim time. A pair they already hold comes
    // first (after a restart). nullopt when none. With `leastSureOf` (a scorer of recordScores),
    // the pairs it scored come before the others, smallest |margin| first.
    std::optional<PreferencePair> claimNext(const std::string& annotator,
                                            std::optional<int> labelsPerPair = std::nullopt,
                                            const std::string& leastSureOf = {});
    // Up to `count` pairs for `annotator`, claimed (or claimed again) for them: the ones they
    // hold, then the ones claimNext would hand out next. A desktop keeps these in hand to label
    // while the workspace's host cannot be reached. Throws common::Error for a count outside 1
    // to 1000.
    std::vector<PreferencePair> claimUpTo(const std::string& annotator, int count,
                                          const std::string& leastSureOf = {});
    // Stores, or replaces, `annotator`'s label of the pair and releases their claim; durable when
    // it returns. `swapped`: response B was on the left. `submission`, when given, is the
    // sender's id for this label: a label sent again with the same id (after a lost reply) is
    // not applied twice, and false is returned. Kept even when the pair meanwhile got its labels
    // from others. Throws common::Error for an unknown pair id or an empty annotator.
    bool label(int64_t pairId, const std::string& annotator, Choice choice,
               const std::string& rationale = {}, bool swapped = false,
               const std::string& submission = {});
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
    // out), in pair then annotator order, through a temporary file renamed when complete; a pair
    // a reviewer decided (label_review.h) gives one line, the decision's. Returns the number of
    // lines.
    int64_t exportPreferences(const std::filesystem::path& path);
    // The export's lines after `cursor`, at most `maxLines`, advancing it: an export in pages.
    std::vector<std::string> preferenceLines(ExportCursor& cursor, size_t maxLines);
    // Adds one pair per line of a JSONL file (readPairs) in one transaction; `by` as addPairs.
    // Returns the count.
    int64_t importPreferences(const std::filesystem::path& path, const std::string& by = {});
    // The pairs of a JSONL file: {"prompt", "chosen", "rejected"} (TRL's preference format;
    // chosen becomes A) or {"prompt", "response_a", "response_b"}; each source names the file
    // and line. A bad line is an error naming the file and line.
    static std::vector<PreferencePair> readPairs(const std::filesystem::path& path);

    // The pairs nobody has labeled that `scorer` has not scored, by id.
    std::vector<PreferencePair> unscoredPairs(const std::string& scorer);
    // Stores (or replaces) `scorer`'s margins in one transaction; an unknown pair id is an error
    // naming it, and nothing is stored.
    void recordScores(const std::string& scorer, const std::vector<PairScore>& scores);
    // The scorers that have scored pairs, sorted.
    std::vector<std::string> scorers();
    // How many pairs `scorer` has scored.
    int64_t scoredPairs(const std::string& scorer);

    PositionBias positionBias(const std::string& annotator = {});

    Database& database() { return m_db; }

private:
    std::vector<PreferencePair> claim(const std::string& annotator, int count,
                                      std::optional<int> labelsPerPair,
                                      const std::string& leastSureOf);
    void requireAnnotator(const std::string& annotator) const;

    Database m_db;
};

}  // namespace strata::store
