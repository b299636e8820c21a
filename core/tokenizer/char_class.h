// The character classes the pre-tokenization patterns distinguish: \p{L}, \p{N}, \s (split into
// CR/LF and the rest) and everything else. \s is Unicode's White_Space property, as in
// tiktoken's and Hugging Face's regex engines (PCRE2 also counts U+180E; see regex_splitter.h).
// Categories come from utf8proc (Unicode 13), cached in a table for the BMP.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace strata::tokenizer {

enum class CharClass : uint8_t {
    Letter,      // \p{L}
    Number,      // \p{N}
    Newline,     // \r or \n
    Whitespace,  // \s other than \r and \n
    Other,       // [^\s\p{L}\p{N}]
};

// Class of any code point; a table lookup in the BMP, utf8proc above it.
CharClass classifyCodePoint(char32_t cp);

extern const std::array<CharClass, 128> kAsciiClass;

// Decodes the code point at text[pos] and returns it with its class; `length` gets its length
// in bytes. Expects valid UTF-8 (the tokenizer replaces invalid bytes before splitting) and
// pos < text.size().
inline CharClass classifyAt(std::string_view text, size_t pos, size_t& length, char32_t& cp) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    unsigned char c = s[0];
    if (c < 0x80) {
        length = 1;
        cp = c;
        return kAsciiClass[c];
    }
    if (c < 0xE0) {
        length = 2;
        cp = char32_t(c & 0x1F) << 6 | (s[1] & 0x3F);
    } else if (c < 0xF0) {
        length = 3;
        cp = char32_t(c & 0x0F) << 12 | char32_t(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    } else {
        length = 4;
        cp = char32_t(c & 0x07) << 18 | char32_t(s[1] & 0x3F) << 12 | char32_t(s[2] & 0x3F) << 6 |
             (s[3] & 0x3F);
    }
    return classifyCodePoint(cp);
}

}  // namespace strata::tokenizer
