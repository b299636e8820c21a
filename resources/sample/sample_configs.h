// The sample workspace's configs (resources/sample/*.toml), compiled in.
#pragma once

#include <string_view>

namespace strata::resources {

std::string_view sampleCleanConfig();
std::string_view samplePretrainConfig();
std::string_view sampleSftConfig();
std::string_view sampleGrpoConfig();

}  // namespace strata::resources
