// `strata-cli devices`: what this machine can train on, and the same as the worker reports it in
// its hello.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/json_writer.h"
#include "core/run/stage.h"
#include "core/train/devices.h"

#include <fmt/format.h>

#include <thread>

#include <unistd.h>

namespace strata::app {

std::string workerCapabilitiesJson() {
    common::JsonWriter json;
    json.beginObject().key("devices").beginArray();
    for (const train::DeviceInfo& device : train::listDevices())
        json.beginObject()
            .field("id", device.id)
            .field("name", device.name)
            .field("memory_bytes", device.memoryBytes)
            .endObject();
    json.endArray()
        .field("memory_bytes",
               uint64_t(::sysconf(_SC_PHYS_PAGES)) * uint64_t(::sysconf(_SC_PAGESIZE)))
        .field("cpus", int64_t(std::thread::hardware_concurrency()))
        .field("torch", train::torchVersion())
        .field("cuda", train::torchHasCuda())
        .key("stages")
        .beginArray();
    for (run::Stage stage : run::kStages)
        json.value(run::stageName(stage));
    json.endArray();
    return json.endObject().take();
}

int runDevices(const Args& args) {
    ArgParser parser("strata-cli devices", "", "Lists the compute devices LibTorch sees.");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    fmt::print("LibTorch {} ({})\n", train::torchVersion(),
               train::torchHasCuda() ? "CUDA build" : "CPU build");
    if (std::string versions = train::cudaLibraryVersions(); !versions.empty())
        fmt::print("{}\n", versions);
    for (const train::DeviceInfo& device : train::listDevices())
        fmt::print("{:<8} {:<32} {:.1f} GiB\n", device.id, device.name,
                   double(device.memoryBytes) / double(1ull << 30));
    return 0;
}

}  // namespace strata::app
