// A team's labeling queue as the labeling panel and `strata-cli labels` use it, wherever the
// workspace is: LocalLabelQueue works on this machine's strata.db; proto::RemoteLabelQueue asks
// the worker of a workspace on another host, over SSH. An empty annotator means whoever this
// queue is reached as: the login here, or the SSH login on the workspace's host.
#pragma once

#include "core/store/label_review.h"
#include "core/store/label_store.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::store {

struct LabelSubmission {
    int64_t pairId = 0;
    std::string annotator;
    Choice choice = Choice::Skip;
    std::string rationale;
    bool swapped = false;  // response B was shown on the left
    // The sender's id for this label (unique per label given), so that sending it again after a
    // lost reply applies it once; empty: no such guard.
    std::string id;
};

struct QueueStats {
    LabelCounts all;
    std::vector<AnnotatorProgress> annotators;
    std::vector<AnnotatorAgreement> agreements;
    Agreement agreement;  // everyone's
    PositionBias positionBias;
    std::vector<std::string> scorers;  // reward models that scored pairs (LabelStore::scorers)
};

class LabelQueue {
public:
    virtual ~LabelQueue() = default;

    // The annotator an empty name stands for.
    virtual std::string identity() = 0;
    // Up to `count` pairs for the annotator, as LabelStore::claimUpTo.
    virtual std::vector<PreferencePair> claimUpTo(const std::string& annotator, int count,
                                                  const std::string& leastSureOf = {}) = 0;
    // The next pair for the annotator (LabelStore::claimNext), or nullopt when none is left.
    std::optional<PreferencePair> claim(const std::string& annotator,
                                        const std::string& leastSureOf = {});
    // False when a label with the submission's id had already arrived.
    virtual bool submit(const LabelSubmission& submission) = 0;
    virtual void release(int64_t pairId, const std::string& annotator) = 0;
    // Takes back the annotator's label of the pair (undo); the pair is theirs again.
    virtual void unlabel(int64_t pairId, const std::string& annotator) = 0;
    // Reads the pairs from `file` on this machine and adds them to the queue, all or nothing.
    virtual int64_t importPairs(const std::filesystem::path& file, const std::string& by) = 0;
    // Adds the pairs to the queue, all or nothing; returns how many. `by` becomes the queue's
    // owner if it has none.
    virtual int64_t addPairs(const std::vector<PreferencePair>& pairs, const std::string& by) = 0;
    // Writes the queue's preferences to `file` on this machine.
    virtual int64_t exportPreferences(const std::filesystem::path& file) = 0;
    virtual QueueStats stats() = 0;
    virtual QueueSettings settings() = 0;
    virtual void configure(const QueueSettings& settings, const std::string& by) = 0;
    // The reviewer's view: the pairs annotators disagree about, with their labels. The queue's
    // owner alone reviews, so annotators do not see each other's labels; throws common::Error
    // naming the owner for anyone else.
    virtual std::vector<Disagreement> disagreements(const std::string& reviewer) = 0;
    virtual void adjudicate(int64_t pairId, const std::string& reviewer, Choice choice,
                            const std::string& note) = 0;
    // Labels given through this queue that the workspace does not have yet: kept on this
    // machine while the workspace's host cannot be reached.
    virtual int64_t unsent() { return 0; }
};

class LocalLabelQueue : public LabelQueue {
public:
    // The queue of the workspace whose strata.db is `historyFile`.
    explicit LocalLabelQueue(const std::filesystem::path& historyFile) : m_store(historyFile) {}

    std::string identity() override;
    std::vector<PreferencePair> claimUpTo(const std::string& annotator, int count,
                                          const std::string& leastSureOf = {}) override;
    bool submit(const LabelSubmission& submission) override;
    void release(int64_t pairId, const std::string& annotator) override;
    void unlabel(int64_t pairId, const std::string& annotator) override;
    int64_t importPairs(const std::filesystem::path& file, const std::string& by) override;
    int64_t addPairs(const std::vector<PreferencePair>& pairs, const std::string& by) override;
    int64_t exportPreferences(const std::filesystem::path& file) override;
    QueueStats stats() override;
    QueueSettings settings() override;
    void configure(const QueueSettings& settings, const std::string& by) override;
    std::vector<Disagreement> disagreements(const std::string& reviewer) override;
    void adjudicate(int64_t pairId, const std::string& reviewer, Choice choice,
                    const std::string& note) override;

    LabelStore& store() { return m_store; }

private:
    std::string who(const std::string& annotator);
    // `reviewer` (or the identity), when they own the queue; throws common::Error otherwise.
    std::string owner(const std::string& reviewer);

    LabelStore m_store;
};

// What a queue's stats are, computed from a store: the worker answers with the same.
QueueStats queueStats(LabelStore& store);

}  // namespace strata::store
