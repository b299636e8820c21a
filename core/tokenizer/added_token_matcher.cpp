// AddedTokenMatcher: a scan with a first-byte filter and one hash lookup per distinct length.
// Word and space tests follow Rust's regex \w and \s (Unicode), as Hugging Face uses them.
#include "core/tokenizer/added_token_matcher.h"

#include "core/tokenizer/char_class.h"

#include <utf8proc.h>

#include <algorithm>

namespace strata::tokenizer {

namespace {

char32_t decodeAt(std::string_view text, size_t pos, size_t& length) {
    char32_t cp = 0;
    classifyAt(text, pos, length, cp);
    return cp;
}

// Rust's \w: alphabetic, marks, decimal digits, connector punctuation, join controls.
bool isWordChar(char32_t cp) {
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               cp == '_';
    if (cp == 0x200C || cp == 0x200D) return true;
    switch (utf8proc_category(utf8proc_int32_t(cp))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_PC:
            return true;
        default:
            return false;
    }
}

bool isSpace(char32_t cp) {
    CharClass kind = classifyCodePoint(cp);
    return kind == CharClass::Whitespace || kind == CharClass::Newline;
}

// Start of the code point that ends just before `pos` (pos > 0).
size_t previousChar(std::string_view text, size_t pos) {
    do {
        --pos;
    } while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80);
    return pos;
}

bool endsWithWord(std::string_view text, size_t end) {
    if (end == 0) return false;
    size_t length = 0;
    return isWordChar(decodeAt(text, previousChar(text, end), length));
}

bool startsWithWord(std::string_view text, size_t begin) {
    if (begin >= text.size()) return false;
    size_t length = 0;
    return isWordChar(decodeAt(text, begin, length));
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(const std::vector<AddedToken>& tokens,
                                     const std::vector<std::string>& patterns) {
    for (size_t i = 0; i < tokens.size(); ++i) {
        const std::string& pattern = patterns[i];
        if (pattern.empty()) continue;
        auto group = std::find_if(m_byLength.begin(), m_byLength.end(),
                                  [&](const auto& entry) { return entry.first == pattern.size(); });
        if (group == m_byLength.end()) {
            m_byLength.push_back({pattern.size(), {}});
            group = m_byLength.end() - 1;
        }
        // The first token with a pattern wins, as in Hugging Face's map from content to id.
        group->second.emplace(
            pattern, Entry{tokens[i].id, tokens[i].lstrip, tokens[i].rstrip, tokens[i].singleWord});
        m_firstByte[static_cast<unsigned char>(pattern[0])] = true;
    }
    std::sort(m_byLength.begin(), m_byLength.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
}

const AddedTokenMatcher::Entry* AddedTokenMatcher::longestAt(std::string_view text, size_t pos,
                                                             size_t& length) const {
    for (const auto& [size, entries] : m_byLength) {
        if (pos + size > text.size()) continue;
        auto it = entries.find(std::string(text.substr(pos, size)));
        if (it == entries.end()) continue;
        length = size;
        return &it->second;
    }
    return nullptr;
}

void AddedTokenMatcher::split(std::string_view text, std::vector<Segment>& out) const {
    out.clear();
    size_t emitted = 0;  // end of the last segment pushed
    for (size_t pos = 0; pos < text.size();) {
        size_t length = 0;
        const Entry* entry = m_firstByte[static_cast<unsigned char>(text[pos])]
                                 ? longestAt(text, pos, length)
                                 : nullptr;
        if (!entry) {
            ++pos;
            continue;
        }
        size_t begin = pos;
        size_t end = pos + length;
        pos = end;
        if (entry->singleWord && (endsWithWord(text, begin) || startsWithWord(text, end))) continue;
        if (entry->lstrip) {
            while (begin > emitted) {
                size_t previous = previousChar(text, begin);
                size_t charLength = 0;
                if (!isSpace(decodeAt(text, previous, charLength))) break;
                begin = previous;
            }
            begin = std::max(begin, emitted);  // spaces an earlier token took stay its own
        }
        if (entry->rstrip) {
            while (end < text.size()) {
                size_t charLength = 0;
                if (!isSpace(decodeAt(text, end, charLength))) break;
                end += charLength;
            }
        }
        if (begin > emitted) out.push_back({emitted, begin, kText});
        out.push_back({begin, end, entry->id});
        emitted = end;
    }
    if (emitted < text.size()) out.push_back({emitted, text.size(), kText});
}

}  // namespace strata::tokenizer
