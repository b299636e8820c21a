// ASCII character classes and case, independent of the C locale: the parsers of markup, URLs and
// host names look for ASCII syntax in UTF-8 text, where std::isalpha and friends would depend on
// the locale and on the sign of char.
#pragma once

#include <cstddef>
#include <string_view>

namespace strata::common {

inline bool isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}
inline bool isAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool isAsciiAlnum(char c) {
    return isAsciiDigit(c) || isAsciiAlpha(c);
}
// Space, tab, line feed, carriage return and form feed (HTML's white space).
inline bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
// `text` without the ASCII space (as above) at either end.
inline std::string_view trimAsciiSpace(std::string_view text) {
    while (!text.empty() && isAsciiSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isAsciiSpace(text.back()))
        text.remove_suffix(1);
    return text;
}
inline char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
}
// Whether `text` holds `lowerWord` (lower case) at `at`, in any case.
inline bool matchesNoCaseAt(std::string_view text, size_t at, std::string_view lowerWord) {
    if (at + lowerWord.size() > text.size()) return false;
    for (size_t i = 0; i < lowerWord.size(); ++i)
        if (asciiLower(text[at + i]) != lowerWord[i]) return false;
    return true;
}

}  // namespace strata::common
