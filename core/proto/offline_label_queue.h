// Labels that survive a host that cannot be reached. In front of a remote workspace's queue, the
// desktop keeps a few claimed pairs in hand and every label it gives in a file of its own
// (synchronous=FULL) until the host has it. Kept labels go out in the order given, each with its
// submission id, so one whose reply was lost on the way is applied once; they go before anything
// else once the host answers again, and they stay on disk across a restart of the desktop. While
// the host cannot be reached the annotator labels the pairs in hand, and the queue does not try
// the host again until sendKept() is called (the window's retry timer), so labeling never waits
// on a dead link. A kept label the host refuses (its pair was deleted there) is set aside with
// the reason, not retried forever.
#pragma once

#include "core/proto/worker_target.h"
#include "core/store/database.h"
#include "core/store/label_queue.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace strata::proto {

// The file keeping a desktop's labels for the workspace `target` serves, in the data folder.
std::filesystem::path keptLabelsFile(const WorkerTarget& target);

class OfflineLabelQueue : public store::LabelQueue {
public:
    static constexpr int kPairsInHand = 20;

    OfflineLabelQueue(std::unique_ptr<store::LabelQueue> host, const std::filesystem::path& file,
                      int pairsInHand = kPairsInHand);

    // The host's answer, or the last one it gave while it cannot be reached.
    std::string identity() override;
    // Sends the kept labels, then tops the pairs in hand up from the host; while it cannot be
    // reached, the pairs in hand. Throws ConnectionLost when it cannot be reached and no pair is
    // in hand.
    std::vector<store::PreferencePair> claimUpTo(const std::string& annotator, int count,
                                                 const std::string& leastSureOf = {}) override;
    // Keeps the label, then sends what is kept; false only when a label with this submission id
    // had been kept here or had arrived at the host before (kept labels count as given).
    bool submit(const store::LabelSubmission& submission) override;
    void release(int64_t pairId, const std::string& annotator) override;
    // A label still kept here is dropped here, unseen by the host; else the host takes it back.
    void unlabel(int64_t pairId, const std::string& annotator) override;
    int64_t importPairs(const std::filesystem::path& file, const std::string& by) override;
    int64_t addPairs(const std::vector<store::PreferencePair>& pairs,
                     const std::string& by) override;
    int64_t exportPreferences(const std::filesystem::path& file) override;
    store::QueueStats stats() override;
    store::QueueSettings settings() override;
    void configure(const store::QueueSettings& settings, const std::string& by) override;
    std::vector<store::Disagreement> disagreements(const std::string& reviewer) override;
    void adjudicate(int64_t pairId, const std::string& reviewer, store::Choice choice,
                    const std::string& note) override;

    int64_t unsent() override;
    // Kept labels the host refused, with its reason, oldest first.
    std::vector<std::string> refused();
    // Whether the host answered the last time it was tried.
    bool reachable() const { return m_reachable; }
    // Tries the host again and sends the kept labels; throws ConnectionLost when it cannot be
    // reached.
    void sendKept();

private:
    // Runs `work` against the host while it is reachable; false (and unreachable from now on)
    // when the connection is lost, or when it was already.
    bool whileReachable(const std::function<void()>& work);
    // For what only the host can do: sends the kept labels first; throws ConnectionLost, without
    // trying, while the host is away.
    void requireHost();
    // Returns false when the host had the label `watched` (a submission id) before.
    bool sendKept(const std::string& watched);
    std::string who(const std::string& annotator);
    std::vector<store::PreferencePair> pairsInHand(const std::string& annotator);
    void replacePairsInHand(const std::string& annotator,
                            const std::vector<store::PreferencePair>& pairs);

    std::unique_ptr<store::LabelQueue> m_host;
    store::Database m_kept;
    int m_pairsInHand;
    bool m_reachable = true;
    std::string m_lost;  // why the host could not be reached, the last time
};

}  // namespace strata::proto
