// How a RunSession starts, follows and steers its run: through this machine's run history and
// the targets' workers (LocalRunDriver), or through the worker and the history of a workspace on
// another host (WorkspaceRunDriver, workspace_runs.h). The session calls these on its own
// threads, one at a time or a control beside the follow, so each call opens what it uses.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "core/store/run_history.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace strata::ui {

class RunDriver {
public:
    virtual ~RunDriver() = default;

    // Starts the run and returns its id in the history it is followed through.
    virtual int64_t start(const proto::RunSpec& spec) = 0;
    // Follows the run until it ends (or keepGoing says stop) and returns its state then;
    // reconnects are told to onNotice.
    virtual store::RunState follow(int64_t runId, const std::function<bool()>& keepGoing,
                                   const std::function<void(const std::string&)>& onNotice) = 0;
    // Pause, Resume or Stop.
    virtual void control(int64_t runId, proto::RequestKind kind) = 0;
};

class LocalRunDriver : public RunDriver {
public:
    // `hosts`: one target, or several for one run across them (proto::startRunAcrossHosts),
    // recorded in the history `historyFile`.
    LocalRunDriver(std::filesystem::path historyFile, std::vector<proto::WorkerTarget> hosts)
        : m_historyFile(std::move(historyFile)), m_hosts(std::move(hosts)) {}

    int64_t start(const proto::RunSpec& spec) override;
    store::RunState follow(int64_t runId, const std::function<bool()>& keepGoing,
                           const std::function<void(const std::string&)>& onNotice) override;
    void control(int64_t runId, proto::RequestKind kind) override;

private:
    std::filesystem::path m_historyFile;
    std::vector<proto::WorkerTarget> m_hosts;  // node 0 first: its worker is followed
};

class WorkspaceRunDriver : public RunDriver {
public:
    explicit WorkspaceRunDriver(proto::WorkerTarget workspace)
        : m_workspace(std::move(workspace)) {}

    int64_t start(const proto::RunSpec& spec) override;
    store::RunState follow(int64_t runId, const std::function<bool()>& keepGoing,
                           const std::function<void(const std::string&)>& onNotice) override;
    void control(int64_t runId, proto::RequestKind kind) override;

private:
    proto::WorkerTarget m_workspace;
};

}  // namespace strata::ui
