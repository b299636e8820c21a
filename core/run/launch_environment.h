// torchrun's environment contract, both ways: what a launcher (the worker, `strata-cli launch`)
// sets for each rank of a multi-process run, and what a rank reads back. The variables are
// torchrun's own, so torch.distributed's env:// rendezvous finds its process group from them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::run {

struct LaunchEnvironment {
    int rank = 0;  // RANK: this process among all of the run's processes
    int worldSize = 1;
    int localRank = 0;  // LOCAL_RANK: this process among its host's
    int localWorldSize = 1;
    std::string masterAddr = "127.0.0.1";  // where rank 0 listens for the rendezvous
    int masterPort = 29500;
    // STRATA_HOST_RUN_DIR=1 (not torchrun's): every host has a run folder of its own, as the
    // worker gives each host of a several-host run; otherwise the hosts share one.
    bool runDirPerHost = false;

    // Whether this process writes the run folder (run.toml, events.jsonl, checkpoints): rank 0,
    // and with a run folder per host the first rank of each host.
    bool writesRunFolder() const { return runDirPerHost ? localRank == 0 : rank == 0; }

    // "RANK=0", "WORLD_SIZE=2", ... every variable of the contract, with this launch's values.
    std::vector<std::string> variables() const;
    // A rank's whole environment: this process's, less every variable of the contract it may
    // have inherited (a launcher started with RANK or MASTER_ADDR set must not hand those on),
    // plus variables().
    std::vector<std::string> childEnvironment() const;
};

// Reads the variables of this process; absent ones keep their single-process defaults. A value
// that is not a number, or ranks that do not fit the world size, is a common::Error naming the
// variable.
LaunchEnvironment launchEnvironmentFromProcess();

// "HOST:PORT" (a port of 1 to 65535) as a master address; nullopt when the text is not one.
std::optional<std::pair<std::string, int>> parseMasterAddress(std::string_view text);

}  // namespace strata::run
