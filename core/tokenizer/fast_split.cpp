// The cl100k and GPT-2 matchers. Each alternative of the regex is a branch below, in the
// regex's order; comments quote the alternative they implement.
#include "core/tokenizer/fast_split.h"

#include "core/tokenizer/char_class.h"

namespace strata::tokenizer {

namespace {

struct Char {
    CharClass cls;
    size_t length;
    char32_t cp;
};

inline Char charAt(std::string_view text, size_t pos) {
    Char c;
    c.cls = classifyAt(text, pos, c.length, c.cp);
    return c;
}

// Length of a contraction ('s 't 're 've 'm 'll 'd) at text[pos] == '\'', or 0. Caseless
// matching follows Unicode simple case folding, under which 's' also matches U+017F (ſ).
size_t contractionLength(std::string_view text, size_t pos, bool caseless) {
    size_t left = text.size() - pos;
    if (left < 2) return 0;
    auto lower = [&](char c) { return caseless && c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
    char a = lower(text[pos + 1]);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if (caseless && left >= 3 && text[pos + 1] == '\xC5' && text[pos + 2] == '\xBF') return 3;
    if (left < 3) return 0;
    char b = lower(text[pos + 2]);
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
    return 0;
}

// End of the run of characters of class `cls` starting at pos.
inline size_t endOfRun(std::string_view text, size_t pos, CharClass cls) {
    const size_t size = text.size();
    while (pos < size) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            if (kAsciiClass[c] != cls) break;
            ++pos;
            continue;
        }
        Char next = charAt(text, pos);
        if (next.cls != cls) break;
        pos += next.length;
    }
    return pos;
}

// End of [\r\n]* from pos.
inline size_t endOfNewlines(std::string_view text, size_t pos) {
    while (pos < text.size() && (text[pos] == '\r' || text[pos] == '\n'))
        ++pos;
    return pos;
}

inline bool isSpace(CharClass cls) {
    return cls == CharClass::Whitespace || cls == CharClass::Newline;
}

// The whitespace alternatives shared by both patterns once nothing earlier matched:
// `\s+(?!\S)|\s+` -- the run up to its last character when a non-space follows, unless the run
// is that one character. With `cl100k`, `\s*[\r\n]+` is tried first: up to the run's last
// newline.
size_t whitespaceEnd(std::string_view text, size_t pos, bool newlineRule) {
    size_t end = pos;
    size_t lastStart = pos;
    size_t afterNewline = 0;
    while (end < text.size()) {
        Char c = charAt(text, end);
        if (!isSpace(c.cls)) break;
        if (c.cls == CharClass::Newline) afterNewline = end + 1;
        lastStart = end;
        end += c.length;
    }
    if (newlineRule && afterNewline != 0) return afterNewline;
    if (end == text.size() || lastStart == pos) return end;
    return lastStart;
}

}  // namespace

size_t cl100kPieceEnd(std::string_view text, size_t pos) {
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if (text[pos] == '\'') {
        if (size_t length = contractionLength(text, pos, true)) return pos + length;
    }
    Char first = charAt(text, pos);
    size_t next = pos + first.length;
    switch (first.cls) {
        case CharClass::Letter:  // [^\r\n\p{L}\p{N}]?\p{L}+ without the prefix
            return endOfRun(text, next, CharClass::Letter);
        case CharClass::Number: {  // \p{N}{1,3}
            for (int count = 1; count < 3 && next < text.size(); ++count) {
                Char c = charAt(text, next);
                if (c.cls != CharClass::Number) break;
                next += c.length;
            }
            return next;
        }
        case CharClass::Newline:  // \s*[\r\n]+
            return whitespaceEnd(text, pos, true);
        case CharClass::Whitespace:
        case CharClass::Other: {
            CharClass second = next < text.size() ? charAt(text, next).cls : CharClass::Newline;
            // [^\r\n\p{L}\p{N}]?\p{L}+ with the prefix
            if (second == CharClass::Letter) return endOfRun(text, next, CharClass::Letter);
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            if (first.cls == CharClass::Other)
                return endOfNewlines(text, endOfRun(text, next, CharClass::Other));
            if (text[pos] == ' ' && second == CharClass::Other)
                return endOfNewlines(text, endOfRun(text, next, CharClass::Other));
            // \s*[\r\n]+|\s+(?!\S)|\s+
            return whitespaceEnd(text, pos, true);
        }
    }
    return next;
}

size_t gpt2PieceEnd(std::string_view text, size_t pos) {
    // 's|'t|'re|'ve|'m|'ll|'d
    if (text[pos] == '\'') {
        if (size_t length = contractionLength(text, pos, false)) return pos + length;
    }
    Char first = charAt(text, pos);
    size_t next = pos + first.length;
    CharClass cls = first.cls;
    // ` ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+`: a leading space joins the run after it.
    if (text[pos] == ' ' && next < text.size()) {
        Char second = charAt(text, next);
        if (!isSpace(second.cls)) return endOfRun(text, next + second.length, second.cls);
    }
    if (!isSpace(cls)) return endOfRun(text, next, cls);
    // \s+(?!\S)|\s+
    return whitespaceEnd(text, pos, false);
}

}  // namespace strata::tokenizer
