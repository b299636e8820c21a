// Python's str operations on UTF-8 text, as chat templates see them through Jinja: lengths,
// indices and slices count code points, and "white space" is what str.isspace() calls so (which
// is also what Jinja's lexer strips around `{%-` and `-%}`). Case changes are ASCII only: a
// template that upper-cases other letters gets an error instead of a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::jinja {

bool isPythonSpace(char32_t c);

// The code points of `text` (invalid bytes become U+FFFD).
std::u32string codePoints(std::string_view text);
std::string utf8Of(std::u32string_view codePoints);
size_t codePointCount(std::string_view text);

// str.strip / lstrip / rstrip: without `chars`, Python white space.
enum class StripSide { Both, Left, Right };
std::string strip(std::string_view text, StripSide side,
                  std::optional<std::string_view> chars = std::nullopt);

// str.split: on runs of white space without `separator`, else on each `separator`; at most
// `maxSplits` splits when it is not negative. rsplit splits from the right.
std::vector<std::string> split(std::string_view text, std::optional<std::string_view> separator,
                               int64_t maxSplits = -1);
std::vector<std::string> rsplit(std::string_view text, std::optional<std::string_view> separator,
                                int64_t maxSplits = -1);

// str.replace, at most `count` times when it is not negative.
std::string replace(std::string_view text, std::string_view old, std::string_view with,
                    int64_t count = -1);

// str.upper / lower / title / capitalize. Nullopt when `text` holds a letter outside ASCII.
std::optional<std::string> upper(std::string_view text);
std::optional<std::string> lower(std::string_view text);
std::optional<std::string> title(std::string_view text);
std::optional<std::string> capitalize(std::string_view text);

// Python's repr() of a str: single quotes unless the text holds ' and no ".
std::string pythonRepr(std::string_view text);

// Python's repr() of a float: the shortest text that reads back the same, "1.0", "1e-05", "inf".
std::string pythonFloatRepr(double value);

}  // namespace strata::jinja
