// Two ranks of a run as two threads of one test process, joined on Gloo over 127.0.0.1.
#pragma once

#include "core/distributed/process_group.h"
#include "core/run/listen_address.h"

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace strata::testing {

// Runs body(group) as ranks 0 and 1 at once; returns each rank's error message ("" if none).
inline std::vector<std::string> onTwoRanks(
    const std::function<void(distributed::ProcessGroup&)>& body) {
    const int port = run::freeTcpPort();
    std::vector<std::string> errors(2);
    std::vector<std::thread> threads;
    for (int rank = 0; rank < 2; ++rank)
        threads.emplace_back([&, rank] {
            try {
                run::LaunchEnvironment launch;
                launch.rank = launch.localRank = rank;
                launch.worldSize = launch.localWorldSize = 2;
                launch.masterPort = port;
                auto group =
                    distributed::ProcessGroup::join(launch, torch::kCPU, std::chrono::seconds(20));
                body(*group);
            } catch (const std::exception& error) {
                errors[size_t(rank)] = error.what();
            }
        });
    for (std::thread& thread : threads)
        thread.join();
    return errors;
}

}  // namespace strata::testing
