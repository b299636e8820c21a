// The tiny training setup of tests/tiny_data.h as a parsed run config, for the trainer's tests.
#pragma once

#include "core/common/config_reader.h"
#include "core/run/run_config.h"
#include "tests/tiny_data.h"

namespace tiny {

// The tiny run config with `overrides` ("key=value") applied, paths relative to `dir`.
inline run::RunConfig config(const fs::path& dir, const std::vector<std::string>& overrides = {}) {
    common::ConfigReader reader = common::ConfigReader::fromString(kConfig, "tiny.toml");
    for (const std::string& assignment : overrides)
        reader.applyOverride(assignment);
    return run::readRunConfig(reader, common::pathsRelativeTo(dir));
}

}  // namespace tiny
