// The strata-cli commands. Each parses its own arguments with ArgParser (arg_parser.h) and calls
// into core; it returns the process exit code and lets common::Error propagate to main().
#pragma once

#include "app/cli/arg_parser.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace strata::app {

using Args = std::vector<std::string>;

// Parses a command's arguments; on --help prints the help and returns nothing (exit 0).
std::optional<ParsedArgs> parseArgs(const ArgParser& parser, const Args& args);

// runs/<config name>-<local time>: where a run goes without --run-dir.
std::filesystem::path defaultRunDir(const std::filesystem::path& config);

int runClean(const Args& args);
int runTokenizer(const Args& args);
int runShard(const Args& args);
int runModel(const Args& args);
int runTrain(const Args& args);
int runLaunch(const Args& args);
int runGenerate(const Args& args);
int runLogprobs(const Args& args);
int runEval(const Args& args);
int runDemo(const Args& args);
int runDevices(const Args& args);
int runExport(const Args& args);
int runImport(const Args& args);
int runWorker(const Args& args);
int runAttach(const Args& args);
int runRuns(const Args& args);
int runDatasets(const Args& args);
int runLabels(const Args& args);

// The worker's hello capabilities: the devices LibTorch sees, memory, CPUs, torch's version and
// the stages (cmd_devices.cpp, so that the worker itself compiles without LibTorch).
std::string workerCapabilitiesJson();

}  // namespace strata::app
