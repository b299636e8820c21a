// The strata-cli commands. Each parses its own arguments with core/cli's ArgParser and calls into
// core; it returns the process exit code and lets common::Error propagate to main().
#pragma once

#include <string>
#include <vector>

namespace strata::app {

using Args = std::vector<std::string>;

int runClean(const Args& args);
int runTokenizer(const Args& args);
int runShard(const Args& args);
int runDemo(const Args& args);
int runDevices(const Args& args);

}  // namespace strata::app
