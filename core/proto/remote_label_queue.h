// The labeling queue of a workspace on another host (ssh://host/path), through that host's
// worker: the worker is the only process that opens the workspace's database, and the SSH login
// is the annotator an empty name stands for. A connection that drops is made again on the next
// call, and the call that met the drop is sent once more on the new one: every label request is
// safe to repeat (a claim hands back the pair already held, a label carries its submission id).
// When the host cannot be reached, calls throw ConnectionLost.
#pragma once

#include "core/proto/worker_connection.h"
#include "core/store/label_queue.h"

#include <memory>

namespace strata::proto {

class RemoteLabelQueue : public store::LabelQueue {
public:
    // Connects on the first call, not here.
    explicit RemoteLabelQueue(WorkerTarget target) : m_target(std::move(target)) {}

    std::string identity() override;
    std::vector<store::PreferencePair> claimUpTo(const std::string& annotator, int count,
                                                 const std::string& leastSureOf = {}) override;
    bool submit(const store::LabelSubmission& submission) override;
    void release(int64_t pairId, const std::string& annotator) override;
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

private:
    // Sends the pairs as one label_import; `source` names them in the error for too many.
    int64_t sendPairs(std::vector<store::PreferencePair> pairs, const std::string& by,
                      std::string_view source);
    WorkerConnection& connection();
    std::string call(RequestKind kind, LabelRequest label = {});

    WorkerTarget m_target;
    std::unique_ptr<WorkerConnection> m_connection;
};

}  // namespace strata::proto
