// Where a worker runs and how to reach it. Local: the client starts `strata-cli worker --stdio`
// as its child. Remote: the client runs the system ssh in batch mode (the user's keys, agent and
// ~/.ssh/config; no password prompts) and the same worker on the far side speaks the protocol
// over the SSH channel. No port is opened on the remote host; SSH is the authentication.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

struct WorkerTarget {
    std::string host;  // empty for this machine, else [user@]host as ssh takes it
    int port = 0;      // 0: ssh's default or the ssh config's
    std::string identityFile;
    std::string sshConfig;                // ssh -F FILE, when not ~/.ssh/config
    std::vector<std::string> sshOptions;  // extra ssh -o values, e.g. "ConnectTimeout=5"
    std::string cli = "strata-cli";       // the strata-cli to run (a path or a name on PATH)
    std::string workspace;                // the workspace on the target host
    // As node 0 of a run across several hosts: the address the others reach this host by
    // (MASTER_ADDR); empty: the SSH host name without the user.
    std::string masterAddress;
    // slurm://: the host is a Slurm cluster's login host, whose worker submits each run as a
    // batch job (core/proto/slurm_job.h) with these extra sbatch options.
    bool slurm = false;
    std::vector<std::string> sbatchOptions;

    bool isLocal() const { return host.empty(); }
    // "local", "ssh://[user@]host[:port]" or "slurm://[user@]host[:port]": what the run
    // history records as a run's host.
    std::string name() const;
};

// Parses "local", "ssh://[user@]host[:port]" or "slurm://[user@]host[:port]" (the other fields
// stay as they are in `base`); throws common::Error naming the text when it is none of them.
WorkerTarget parseTarget(std::string_view text, WorkerTarget base = {});

// Whether `workspace` names a workspace on another host: "ssh://...".
bool isRemoteWorkspace(std::string_view workspace);
// Parses "ssh://[user@]host[:port]/path" into a target whose workspace is that folder on the
// host; "/~/path" is relative to the home folder there. Throws common::Error naming the text when
// it has no folder or no valid host.
WorkerTarget parseRemoteWorkspace(std::string_view text, WorkerTarget base = {});
// The address parseRemoteWorkspace reads back as `target`'s workspace.
std::string remoteWorkspaceAddress(const WorkerTarget& target);

// The address the other hosts of a several-host run reach `target` by; throws common::Error
// for a local target without a masterAddress (the others cannot reach "localhost").
std::string reachableAddress(const WorkerTarget& target);

// The command line that starts the worker on the target.
std::vector<std::string> workerCommand(const WorkerTarget& target);

// `text` quoted for a POSIX shell (ssh hands the remote command to the user's shell).
std::string shellQuote(std::string_view text);

}  // namespace strata::proto
