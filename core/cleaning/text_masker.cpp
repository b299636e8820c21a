#include "core/cleaning/text_masker.h"

#include "core/common/ascii.h"

#include <array>

namespace strata::cleaning {

namespace {

struct Span {
    size_t begin = 0;
    size_t end = 0;
    bool found() const { return end > begin; }
};

bool isEmailLocal(char c) {
    return common::isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool isUrlEnd(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '{' ||
           c == '}' || c == '|' || c == '\\' || c == '^';
}
bool isTrailingPunctuation(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
           c == ']';
}

// A word starts at i when the byte before is not part of an alphanumeric token.
bool startsWord(std::string_view t, size_t i) {
    return i == 0 || !(common::isAsciiAlnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '_' ||
                       t[i - 1] == '@' || t[i - 1] == '/' || t[i - 1] == '-' || t[i - 1] == '+');
}

size_t urlEnd(std::string_view t, size_t from) {
    size_t end = from;
    while (end < t.size() && !isUrlEnd(t[end]))
        ++end;
    while (end > from && isTrailingPunctuation(t[end - 1]))
        --end;
    return end;
}

// `colon` is a ':' that may follow a scheme: the scheme must start a word and "//" follow.
Span matchUrlAtColon(std::string_view t, size_t colon, size_t floor) {
    if (colon + 3 >= t.size() || t[colon + 1] != '/' || t[colon + 2] != '/') return {};
    for (std::string_view scheme :
         {std::string_view("https"), std::string_view("http"), std::string_view("ftp")}) {
        if (colon < scheme.size() + floor) continue;
        size_t begin = colon - scheme.size();
        if (!common::matchesNoCaseAt(t, begin, scheme) || !startsWord(t, begin)) continue;
        size_t end = urlEnd(t, colon + 3);
        if (end > colon + 3 && common::isAsciiAlnum(t[colon + 3])) return {begin, end};
    }
    return {};
}

Span matchWww(std::string_view t, size_t at) {
    if (!startsWord(t, at) || !common::matchesNoCaseAt(t, at, "www.")) return {};
    size_t end = urlEnd(t, at + 4);
    // At least one more dot after www. ("www.example.com"), else it is just a word.
    size_t dot = t.find('.', at + 4);
    if (end <= at + 5 || dot == std::string_view::npos || dot + 1 >= end) return {};
    return {at, end};
}

Span matchEmail(std::string_view t, size_t at, size_t floor) {
    size_t begin = at;
    while (begin > floor && isEmailLocal(t[begin - 1]))
        --begin;
    while (begin < at && t[begin] == '.')
        ++begin;
    if (begin == at) return {};
    size_t end = at + 1;
    while (end < t.size() && (common::isAsciiAlnum(t[end]) || t[end] == '-' ||
                              (t[end] == '.' && t[end - 1] != '.' && t[end - 1] != '@')))
        ++end;
    while (end > at + 1 && (t[end - 1] == '.' || t[end - 1] == '-'))
        --end;
    size_t lastDot = t.substr(0, end).rfind('.');
    if (lastDot == std::string_view::npos || lastDot <= at + 1) return {};
    size_t tld = end - lastDot - 1;
    if (tld < 2) return {};
    for (size_t i = lastDot + 1; i < end; ++i)
        if (!common::isAsciiAlpha(t[i])) return {};
    return {begin, end};
}

Span matchIpv4(std::string_view t, size_t at) {
    size_t i = at;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= t.size() || t[i] != '.') return {};
            ++i;
        }
        size_t start = i;
        int value = 0;
        while (i < t.size() && common::isAsciiDigit(t[i]) && i - start < 3)
            value = value * 10 + (t[i++] - '0');
        if (i == start || value > 255) return {};
        if (i < t.size() && common::isAsciiDigit(t[i])) return {};
    }
    if (i < t.size() && (common::isAsciiAlnum(t[i]) ||
                         (t[i] == '.' && i + 1 < t.size() && common::isAsciiDigit(t[i + 1]))))
        return {};
    return {at, i};
}

Span matchPhone(std::string_view t, size_t at) {
    size_t i = at;
    bool plus = t[i] == '+';
    if (plus) ++i;
    int digits = 0;
    int groups = 0;
    bool parentheses = false;
    bool dashOrDot = false;
    bool dots = false;
    size_t lastDigitEnd = 0;
    while (i < t.size()) {
        char c = t[i];
        if (common::isAsciiDigit(c)) {
            size_t start = i;
            while (i < t.size() && common::isAsciiDigit(t[i]))
                ++i;
            digits += int(i - start);
            ++groups;
            lastDigitEnd = i;
            if (digits > 15) return {};
            continue;
        }
        // Separators between groups: one of "-", ".", " ", "(", ")", ") ", " (".
        size_t sepStart = i;
        while (i < t.size() && i - sepStart < 2 &&
               (t[i] == '-' || t[i] == '.' || t[i] == ' ' || t[i] == '(' || t[i] == ')')) {
            parentheses |= t[i] == '(' || t[i] == ')';
            dashOrDot |= t[i] == '-' || t[i] == '.';
            dots |= t[i] == '.';
            ++i;
        }
        if (i == sepStart || i >= t.size() || !common::isAsciiDigit(t[i])) break;
    }
    if (lastDigitEnd == 0) return {};
    size_t end = lastDigitEnd;
    if (end < t.size() && (common::isAsciiAlpha(t[end]) || t[end] == '_')) return {};
    int minDigits = plus ? 8 : 10;
    if (digits < minDigits || groups < 2) return {};
    if (!plus && !parentheses && !dashOrDot) return {};
    if (dots && groups < 3) return {};  // "3.14159265358" is a number
    // A '(' as the first character belongs to the number only if it is closed.
    return {at, end};
}

}  // namespace

MaskCounts maskText(std::string_view text, const MaskOptions& options, std::string& out) {
    out.clear();
    MaskCounts counts;
    if (!options.any()) {
        out.assign(text);
        return counts;
    }
    std::array<bool, 256> trigger{};
    if (options.urls) trigger[':'] = trigger['w'] = trigger['W'] = true;
    if (options.emails) trigger['@'] = true;
    if (options.phones) trigger['+'] = trigger['('] = true;
    if (options.phones || options.ips)
        for (char c = '0'; c <= '9'; ++c)
            trigger[static_cast<unsigned char>(c)] = true;

    out.reserve(text.size());
    size_t copied = 0;
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (!trigger[static_cast<unsigned char>(c)]) {
            ++i;
            continue;
        }
        Span span;
        std::string_view placeholder;
        uint64_t* counter = nullptr;
        if (c == ':') {
            span = matchUrlAtColon(text, i, copied);
            placeholder = kUrlPlaceholder;
            counter = &counts.urls;
        } else if (c == 'w' || c == 'W') {
            span = matchWww(text, i);
            placeholder = kUrlPlaceholder;
            counter = &counts.urls;
        } else if (c == '@') {
            span = matchEmail(text, i, copied);
            placeholder = kEmailPlaceholder;
            counter = &counts.emails;
        } else if (startsWord(text, i)) {
            if (options.ips && common::isAsciiDigit(c)) {
                span = matchIpv4(text, i);
                placeholder = kIpPlaceholder;
                counter = &counts.ips;
            }
            if (!span.found() && options.phones) {
                span = matchPhone(text, i);
                placeholder = kPhonePlaceholder;
                counter = &counts.phones;
            }
        }
        if (!span.found()) {
            ++i;
            continue;
        }
        out.append(text.data() + copied, span.begin - copied);
        out += placeholder;
        ++*counter;
        copied = i = span.end;
    }
    out.append(text.data() + copied, text.size() - copied);
    return counts;
}

}  // namespace strata::cleaning
