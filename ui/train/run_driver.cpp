#include "ui/train/run_driver.h"

#include "core/proto/run_client.h"
#include "core/proto/workspace_runs.h"

namespace strata::ui {

int64_t LocalRunDriver::start(const proto::RunSpec& spec) {
    store::RunHistory history(m_historyFile);
    return proto::startRunAcrossHosts(history, m_hosts, spec);
}

store::RunState LocalRunDriver::follow(int64_t runId, const std::function<bool()>& keepGoing,
                                       const std::function<void(const std::string&)>& onNotice) {
    store::RunHistory history(m_historyFile);
    proto::FollowOptions options;
    options.keepGoing = keepGoing;
    options.onNotice = onNotice;
    return proto::followRun(history, m_hosts.at(0), runId, options);
}

void LocalRunDriver::control(int64_t runId, proto::RequestKind kind) {
    store::RunHistory history(m_historyFile);
    proto::controlRun(history, m_hosts, runId, kind);
}

int64_t WorkspaceRunDriver::start(const proto::RunSpec& spec) {
    return proto::startWorkspaceRun(m_workspace, spec);
}

store::RunState WorkspaceRunDriver::follow(
    int64_t runId, const std::function<bool()>& keepGoing,
    const std::function<void(const std::string&)>& onNotice) {
    proto::WorkspaceFollowOptions options;
    options.keepGoing = keepGoing;
    options.onNotice = onNotice;
    return proto::followWorkspaceRun(m_workspace, runId, options);
}

void WorkspaceRunDriver::control(int64_t runId, proto::RequestKind kind) {
    proto::controlWorkspaceRun(m_workspace, runId, kind);
}

}  // namespace strata::ui
