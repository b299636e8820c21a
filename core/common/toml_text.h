// Values written as TOML text, for the commented default configs the commands print: each must
// read back as the same type (a float stays "3.0", not "3").
#pragma once

#include <string>
#include <vector>

namespace strata::common {

std::string tomlFloat(double value);
std::string tomlBool(bool value);
std::string tomlString(const std::string& value);
std::string tomlStrings(const std::vector<std::string>& values);

}  // namespace strata::common
