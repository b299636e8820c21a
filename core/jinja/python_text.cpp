#include "core/jinja/python_text.h"

#include "core/common/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace strata::jinja {

bool isPythonSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

std::u32string codePoints(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (size_t pos = 0; pos < text.size();)
        out.push_back(common::decodeUtf8(text, pos));
    return out;
}

std::string utf8Of(std::u32string_view codePoints) {
    std::string out;
    out.reserve(codePoints.size());
    for (char32_t c : codePoints)
        common::appendUtf8(out, c);
    return out;
}

size_t codePointCount(std::string_view text) {
    size_t count = 0;
    for (unsigned char c : text)
        count += (c & 0xC0) != 0x80;
    return count;
}

std::string strip(std::string_view text, StripSide side, std::optional<std::string_view> chars) {
    std::u32string points = codePoints(text);
    std::u32string set = chars ? codePoints(*chars) : std::u32string();
    auto stripped = [&](char32_t c) {
        return chars ? set.find(c) != std::u32string::npos : isPythonSpace(c);
    };
    size_t begin = 0, end = points.size();
    if (side != StripSide::Right)
        while (begin < end && stripped(points[begin]))
            ++begin;
    if (side != StripSide::Left)
        while (end > begin && stripped(points[end - 1]))
            --end;
    return utf8Of(std::u32string_view(points).substr(begin, end - begin));
}

namespace {

std::vector<std::string> splitOnSpace(std::string_view text, int64_t maxSplits, bool fromRight) {
    std::u32string points = codePoints(text);
    std::vector<std::u32string_view> words;
    std::u32string_view view(points);
    if (!fromRight) {
        size_t pos = 0;
        while (pos < view.size()) {
            while (pos < view.size() && isPythonSpace(view[pos]))
                ++pos;
            if (pos == view.size()) break;
            if (maxSplits >= 0 && int64_t(words.size()) == maxSplits) {
                words.push_back(view.substr(pos));  // the rest, trailing space kept
                break;
            }
            size_t end = pos;
            while (end < view.size() && !isPythonSpace(view[end]))
                ++end;
            words.push_back(view.substr(pos, end - pos));
            pos = end;
        }
    } else {
        size_t end = view.size();
        while (end > 0) {
            while (end > 0 && isPythonSpace(view[end - 1]))
                --end;
            if (end == 0) break;
            if (maxSplits >= 0 && int64_t(words.size()) == maxSplits) {
                words.push_back(view.substr(0, end));
                break;
            }
            size_t begin = end;
            while (begin > 0 && !isPythonSpace(view[begin - 1]))
                --begin;
            words.push_back(view.substr(begin, end - begin));
            end = begin;
        }
        std::reverse(words.begin(), words.end());
    }
    std::vector<std::string> out;
    for (std::u32string_view word : words)
        out.push_back(utf8Of(word));
    return out;
}

}  // namespace

std::vector<std::string> split(std::string_view text, std::optional<std::string_view> separator,
                               int64_t maxSplits) {
    if (!separator) return splitOnSpace(text, maxSplits, false);
    std::vector<std::string> out;
    size_t pos = 0;
    while (maxSplits < 0 || int64_t(out.size()) < maxSplits) {
        size_t found = text.find(*separator, pos);
        if (found == std::string_view::npos) break;
        out.emplace_back(text.substr(pos, found - pos));
        pos = found + separator->size();
    }
    out.emplace_back(text.substr(pos));
    return out;
}

std::vector<std::string> rsplit(std::string_view text, std::optional<std::string_view> separator,
                                int64_t maxSplits) {
    if (!separator) return splitOnSpace(text, maxSplits, true);
    std::vector<std::string> out;
    size_t end = text.size();
    while (maxSplits < 0 || int64_t(out.size()) < maxSplits) {
        if (end < separator->size()) break;
        size_t found = text.rfind(*separator, end - separator->size());
        if (found == std::string_view::npos) break;
        out.emplace_back(text.substr(found + separator->size(), end - found - separator->size()));
        end = found;
    }
    out.emplace_back(text.substr(0, end));
    std::reverse(out.begin(), out.end());
    return out;
}

std::string replace(std::string_view text, std::string_view old, std::string_view with,
                    int64_t count) {
    std::string out;
    if (old.empty()) {
        // Python inserts `with` before every code point and at the end.
        int64_t done = 0;
        for (size_t pos = 0; pos < text.size();) {
            if (count < 0 || done < count) out += with, ++done;
            size_t next = pos + 1;
            while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80)
                ++next;
            out += text.substr(pos, next - pos);
            pos = next;
        }
        if (count < 0 || done < count) out += with;
        return out;
    }
    size_t pos = 0;
    for (int64_t done = 0; count < 0 || done < count; ++done) {
        size_t found = text.find(old, pos);
        if (found == std::string_view::npos) break;
        out += text.substr(pos, found - pos);
        out += with;
        pos = found + old.size();
    }
    out += text.substr(pos);
    return out;
}

namespace {

bool hasNonAscii(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80) return true;  // it may hold a cased letter: refuse rather than guess
    return false;
}

char upperAscii(char c) {
    return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
}
char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}
bool isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::optional<std::string> upper(std::string_view text) {
    if (hasNonAscii(text)) return std::nullopt;
    std::string out(text);
    for (char& c : out)
        c = upperAscii(c);
    return out;
}

std::optional<std::string> lower(std::string_view text) {
    if (hasNonAscii(text)) return std::nullopt;
    std::string out(text);
    for (char& c : out)
        c = lowerAscii(c);
    return out;
}

std::optional<std::string> title(std::string_view text) {
    if (hasNonAscii(text)) return std::nullopt;
    std::string out(text);
    bool previousCased = false;
    for (char& c : out) {
        c = previousCased ? lowerAscii(c) : upperAscii(c);
        previousCased = isAsciiLetter(c);
    }
    return out;
}

std::optional<std::string> capitalize(std::string_view text) {
    std::optional<std::string> out = lower(text);
    if (out && !out->empty()) (*out)[0] = upperAscii((*out)[0]);
    return out;
}

namespace {

// What str.isprintable() refuses, for the characters a chat is likely to hold: controls,
// separators other than the space, format characters and private use.
bool isUnprintable(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
           (c >= 0x205F && c <= 0x2064) || c == 0x3000 || c == 0xFEFF ||
           (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000 || (c >= 0xD800 && c <= 0xDFFF);
}

}  // namespace

std::string pythonRepr(std::string_view text) {
    bool single =
        text.find('\'') == std::string_view::npos || text.find('"') != std::string_view::npos;
    char quote = single ? '\'' : '"';
    std::string out(1, quote);
    for (char32_t c : codePoints(text)) {
        if (c == U'\\' || c == char32_t(quote)) {
            out += '\\';
            out += char(c);
        } else if (c == U'\n') {
            out += "\\n";
        } else if (c == U'\r') {
            out += "\\r";
        } else if (c == U'\t') {
            out += "\\t";
        } else if (isUnprintable(c)) {
            char buffer[16];
            if (c <= 0xFF)
                std::snprintf(buffer, sizeof buffer, "\\x%02x", unsigned(c));
            else if (c <= 0xFFFF)
                std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(c));
            else
                std::snprintf(buffer, sizeof buffer, "\\U%08x", unsigned(c));
            out += buffer;
        } else {
            common::appendUtf8(out, c);
        }
    }
    out += quote;
    return out;
}

std::string pythonFloatRepr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    // The shortest round-trip digits, then Python's layout: positional for exponents in
    // [-4, 16), scientific with a two-digit exponent otherwise.
    char buffer[64];
    auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string_view text(buffer, size_t(result.ptr - buffer));
    bool negative = text.front() == '-';
    if (negative) text.remove_prefix(1);
    size_t e = text.find('e');
    std::string digits;
    for (char c : text.substr(0, e))
        if (c != '.') digits += c;
    int exponent = std::stoi(std::string(text.substr(e + 1)));
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    std::string out = negative ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out += "0." + std::string(size_t(-exponent - 1), '0') + digits;
        } else if (size_t(exponent) + 1 >= digits.size()) {
            out += digits + std::string(size_t(exponent) + 1 - digits.size(), '0') + ".0";
        } else {
            out +=
                digits.substr(0, size_t(exponent) + 1) + "." + digits.substr(size_t(exponent) + 1);
        }
        return out;
    }
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exponentText[8];
    std::snprintf(exponentText, sizeof exponentText, "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + exponentText;
}

}  // namespace strata::jinja
