// What a reviewer of a team's labels looks at: each annotator's progress and speed, how well
// every two annotators agree, and the pairs they disagree on, where the reviewer's decision is
// recorded beside the labels (the annotators' own labels stay as they gave them). Reads and
// writes the label store's tables; the labeling panel and `strata-cli labels` show it.
#pragma once

#include "core/store/label_store.h"

#include <optional>
#include <string>
#include <vector>

namespace strata::store {

// Agreement over the pairs two or more annotators decided (A, B or tie; skips left out): Cohen's
// kappa over every two annotators' labels of the same pair.
struct Agreement {
    int64_t numComparisons = 0;  // label pairs compared
    double observed = 0;         // share of them that agree
    double kappa = 0;            // (observed - chance) / (1 - chance); 0 when nothing to compare
};

// Two annotators' agreement on the pairs both decided; `first` sorts before `second`.
struct AnnotatorAgreement {
    std::string first;
    std::string second;
    Agreement agreement;
};

struct AnnotatorProgress {
    std::string annotator;
    LabelCounts counts;  // their labels (numLabeledPairs: the pairs they labeled)
    // The median time between two of their labels, breaks of over ten minutes left out; 0 with
    // fewer than two labels.
    double secondsPerLabel = 0;
    double lastLabeledAt = 0;  // unix seconds
};

struct Adjudication {
    std::string reviewer;
    Choice choice = Choice::Skip;
    std::string note;
    double decidedAt = 0;
};

// A pair whose decisions (A, B or tie) differ, with every label of it and the reviewer's
// decision once there is one.
struct Disagreement {
    PreferencePair pair;
    std::vector<Label> labels;
    std::optional<Adjudication> decision;
};

class LabelReview {
public:
    explicit LabelReview(LabelStore& store) : m_store(store) {}

    Agreement agreement();
    // Every two annotators who decided a pair in common, by name.
    std::vector<AnnotatorAgreement> pairwiseAgreement();
    // Everyone who labeled, by name.
    std::vector<AnnotatorProgress> progress();
    // The disagreements by pair id.
    std::vector<Disagreement> disagreements();
    // Records (or replaces) `reviewer`'s decision on the pair. Throws common::Error for an
    // unknown pair or an empty reviewer.
    void adjudicate(int64_t pairId, const std::string& reviewer, Choice choice,
                    const std::string& note = {});

private:
    LabelStore& m_store;
};

}  // namespace strata::store
