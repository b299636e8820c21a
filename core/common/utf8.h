// UTF-8 primitives shared by the cleaning stages and the tokenizer. Validation follows the
// Unicode standard exactly: no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::common {

// Length of the well-formed sequence starting at text[pos], or 0 if the bytes there are not one.
size_t utf8SequenceLength(std::string_view text, size_t pos);

// Decodes the code point at text[pos] and advances pos; an invalid byte yields U+FFFD and
// advances by one byte.
char32_t decodeUtf8(std::string_view text, size_t& pos);

void appendUtf8(std::string& out, char32_t codePoint);

// Offset of the first byte that does not start a well-formed sequence, or npos if all is valid.
size_t findInvalidUtf8(std::string_view text);

// The length of `bytes` without a trailing sequence that more bytes could still complete: what a
// stream of byte-level tokens can print now without splitting a character.
size_t completeUtf8Prefix(std::string_view bytes);

// Replaces every ill-formed byte with U+FFFD (the documented rule for invalid input).
std::string replaceInvalidUtf8(std::string_view text);

// One token's bytes as people read them: the text when it is well-formed UTF-8, else its bytes
// in hex, "‹E7 BB›" (a byte-level tokenizer splits rare characters across tokens).
std::string tokenLabel(std::string_view bytes);

}  // namespace strata::common
