#include "core/run/launch_environment.h"

#include "core/common/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

extern char** environ;

namespace strata::run {

namespace {

std::string_view nameOf(std::string_view variable) {
    return variable.substr(0, variable.find('='));
}

int readInt(const char* name, int fallback, int minimum) {
    const char* text = std::getenv(name);
    if (!text) return fallback;
    std::string_view value(text);
    int number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || number < minimum)
        common::fail("environment variable {}={}: expected a whole number of at least {}", name,
                     value, minimum);
    return number;
}

}  // namespace

std::vector<std::string> LaunchEnvironment::variables() const {
    std::vector<std::string> variables{fmt::format("RANK={}", rank),
                                       fmt::format("WORLD_SIZE={}", worldSize),
                                       fmt::format("LOCAL_RANK={}", localRank),
                                       fmt::format("LOCAL_WORLD_SIZE={}", localWorldSize),
                                       fmt::format("MASTER_ADDR={}", masterAddr),
                                       fmt::format("MASTER_PORT={}", masterPort)};
    variables.push_back(fmt::format("STRATA_HOST_RUN_DIR={}", int(runDirPerHost)));
    return variables;
}

std::vector<std::string> LaunchEnvironment::childEnvironment() const {
    std::vector<std::string> ours = variables();
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        std::string_view name = nameOf(*entry);
        bool contract = std::any_of(ours.begin(), ours.end(), [&](const std::string& variable) {
            return nameOf(variable) == name;
        });
        if (!contract) environment.emplace_back(*entry);
    }
    environment.insert(environment.end(), ours.begin(), ours.end());
    return environment;
}

LaunchEnvironment launchEnvironmentFromProcess() {
    LaunchEnvironment env;
    env.worldSize = readInt("WORLD_SIZE", 1, 1);
    env.rank = readInt("RANK", 0, 0);
    env.localWorldSize = readInt("LOCAL_WORLD_SIZE", env.worldSize, 1);
    env.localRank = readInt("LOCAL_RANK", env.rank, 0);
    env.masterPort = readInt("MASTER_PORT", env.masterPort, 1);
    if (const char* addr = std::getenv("MASTER_ADDR")) env.masterAddr = addr;
    env.runDirPerHost = readInt("STRATA_HOST_RUN_DIR", 0, 0) != 0;
    if (env.rank >= env.worldSize)
        common::fail("environment variable RANK={} is not below WORLD_SIZE={}", env.rank,
                     env.worldSize);
    if (env.localRank >= env.localWorldSize)
        common::fail("environment variable LOCAL_RANK={} is not below LOCAL_WORLD_SIZE={}",
                     env.localRank, env.localWorldSize);
    if (env.masterPort > 65535)
        common::fail("environment variable MASTER_PORT={} is not a TCP port", env.masterPort);
    return env;
}

std::optional<std::pair<std::string, int>> parseMasterAddress(std::string_view text) {
    const size_t colon = text.rfind(':');
    int port = 0;
    const char* end = text.data() + text.size();
    if (colon == std::string_view::npos || colon == 0 ||
        std::from_chars(text.data() + colon + 1, end, port).ptr != end || port < 1 || port > 65535)
        return std::nullopt;
    return std::pair{std::string(text.substr(0, colon)), port};
}

}  // namespace strata::run
