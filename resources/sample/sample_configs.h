// The sample workspace's configs (resources/sample/*.toml), compiled in.
#pragma once

#include <string_view>

namespace strata::resources {

std::string_view sampleCleanConfig();
std::string_view samplePretrainConfig();

}  // namespace strata::resources
