// Numbers as people read them in console lines: 12345678 -> "12.3M", 3221225472 -> "3.0 GiB";
// and byte sizes as people type them into a form: "64 MiB" <-> 67108864.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::common {

// Thousands steps (K, M, B, T) with one decimal; `unit`, when given, follows after a space.
std::string humanCount(double value, const char* unit = "");
// Binary steps (KiB, MiB, GiB, TiB) with one decimal.
std::string humanBytes(uint64_t bytes);

// `bytes` in the largest binary unit that divides it, so the text reads back to the same value:
// 67108864 -> "64 MiB", 1536 -> "1536 B".
std::string exactBytes(uint64_t bytes);
// A size as typed: a whole or decimal number, then B, KiB, MiB, GiB or TiB (powers of 1024) or
// KB, MB, GB or TB (powers of 1000), any case, a space or none between; a bare number is bytes.
// Nullopt for anything else, a negative size, or a size that is not a whole number of bytes or
// does not fit 64 bits.
std::optional<uint64_t> parseBytes(std::string_view text);

}  // namespace strata::common
