// `strata-cli devices`: what this machine can train on, as the worker will report it.
#include "app/cli/commands.h"
#include "core/cli/arg_parser.h"
#include "core/train/devices.h"

#include <fmt/format.h>

namespace strata::app {

int runDevices(const Args& args) {
    cli::ArgParser parser("strata-cli devices", "", "Lists the compute devices LibTorch sees.");
    std::optional<cli::ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    fmt::print("LibTorch {} ({})\n", train::torchVersion(),
               train::torchHasCuda() ? "CUDA build" : "CPU build");
    for (const train::DeviceInfo& device : train::listDevices())
        fmt::print("{:<8} {:<32} {:.1f} GiB\n", device.id, device.name,
                   double(device.memoryBytes) / double(1ull << 30));
    return 0;
}

}  // namespace strata::app
