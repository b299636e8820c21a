// Numbers as people read them in console lines: 12345678 -> "12.3M", 3221225472 -> "3.0 GiB".
#pragma once

#include <cstdint>
#include <string>

namespace strata::common {

// Thousands steps (K, M, B, T) with one decimal; `unit`, when given, follows after a space.
std::string humanCount(double value, const char* unit = "");
// Binary steps (KiB, MiB, GiB, TiB) with one decimal.
std::string humanBytes(uint64_t bytes);

}  // namespace strata::common
