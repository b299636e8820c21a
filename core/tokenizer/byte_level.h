// GPT-2's byte-level alphabet: each of the 256 byte values stands for one printable code point,
// so that any byte string is a printable token in tokenizer.json ("Ġthe" is " the"). The order
// of that table is also Strata's id order for the 256 base tokens: id 0 is '!', id 255 is 0xAD.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::tokenizer {

// The byte whose base token has id i, in GPT-2's bytes_to_unicode order: the printable bytes
// 0x21-0x7E, 0xA1-0xAC, 0xAE-0xFF first, then the rest in increasing order.
const std::array<uint8_t, 256>& byteLevelOrder();

// Appends the byte-level spelling of `bytes` (UTF-8 of the mapped code points).
void appendByteLevel(std::string& out, std::string_view bytes);

// Parses a byte-level spelling back to bytes; false when a code point is outside the alphabet.
bool parseByteLevel(std::string_view spelled, std::string& bytes);

}  // namespace strata::tokenizer
