// The worker's side of a workspace's labeling queue: answers the label_* requests from the
// workspace's strata.db (opened on the first such request), as the login the worker runs as
// unless a request names its annotator. Over SSH that login is the person who connected, so
// labels, claims and settings changes record who made them without Strata storing a password.
#pragma once

#include "core/proto/protocol.h"
#include "core/store/label_queue.h"

#include <filesystem>
#include <memory>
#include <string>

namespace strata::proto {

class LabelService {
public:
    explicit LabelService(std::filesystem::path workspace) : m_workspace(std::move(workspace)) {}

    // The reply's data for a label_* request; throws common::Error for one the queue refuses.
    std::string answer(const Request& request);

private:
    store::LocalLabelQueue& queue();

    std::filesystem::path m_workspace;
    std::unique_ptr<store::LocalLabelQueue> m_queue;
};

}  // namespace strata::proto
