#include "core/common/utf8.h"

namespace strata::common {

size_t utf8SequenceLength(std::string_view text, size_t pos) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    size_t left = text.size() - pos;
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    auto continuation = [&](size_t i) { return i < left && (s[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return continuation(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (left < 3 || !continuation(1) || !continuation(2)) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;  // overlong
        if (c == 0xED && s[1] > 0x9F) return 0;  // surrogates
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (left < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;  // overlong
        if (c == 0xF4 && s[1] > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

size_t completeUtf8Prefix(std::string_view bytes) {
    // A truncated sequence is at most 3 bytes: a lead byte and fewer continuations than it needs.
    size_t start = bytes.size() > 3 ? bytes.size() - 3 : 0;
    for (size_t pos = bytes.size(); pos-- > start;) {
        auto c = static_cast<unsigned char>(bytes[pos]);
        if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back for its lead
        size_t needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
        return bytes.size() - pos < needed ? pos : bytes.size();
    }
    return bytes.size();
}

char32_t decodeUtf8(std::string_view text, size_t& pos) {
    size_t length = utf8SequenceLength(text, pos);
    const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    switch (length) {
        case 1:
            pos += 1;
            return s[0];
        case 2:
            pos += 2;
            return char32_t(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        case 3:
            pos += 3;
            return char32_t(s[0] & 0x0F) << 12 | char32_t(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        case 4:
            pos += 4;
            return char32_t(s[0] & 0x07) << 18 | char32_t(s[1] & 0x3F) << 12 |
                   char32_t(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        default:
            pos += 1;
            return 0xFFFD;
    }
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

size_t findInvalidUtf8(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
        // ASCII runs are the common case; skip them eight bytes at a time.
        while (pos + 8 <= text.size()) {
            uint64_t word;
            __builtin_memcpy(&word, text.data() + pos, 8);
            if (word & 0x8080808080808080ull) break;
            pos += 8;
        }
        if (pos >= text.size()) break;
        size_t length = utf8SequenceLength(text, pos);
        if (length == 0) return pos;
        pos += length;
    }
    return std::string_view::npos;
}

std::string replaceInvalidUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        size_t length = utf8SequenceLength(text, pos);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++pos;
        } else {
            out.append(text.data() + pos, length);
            pos += length;
        }
    }
    return out;
}

std::string tokenLabel(std::string_view bytes) {
    if (findInvalidUtf8(bytes) == std::string_view::npos) return std::string(bytes);
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string label = "‹";
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i > 0) label += ' ';
        label += kDigits[uint8_t(bytes[i]) >> 4];
        label += kDigits[uint8_t(bytes[i]) & 15];
    }
    return label + "›";
}

}  // namespace strata::common
