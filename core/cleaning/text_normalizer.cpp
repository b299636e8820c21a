#include "core/cleaning/text_normalizer.h"

#include "core/common/utf8.h"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace strata::cleaning {

namespace {

enum class Kind : uint8_t { Keep, Space, Newline, Return, Drop, NonAscii };

Kind classify(char32_t cp, const NormalizeOptions& options) {
    if (options.whitespace) {
        if (cp == ' ' || cp == '\t') return Kind::Space;
        if (cp == '\n' || cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
            return Kind::Newline;
        if (cp == '\r') return Kind::Return;
    }
    if (cp == '\t' || cp == '\n' || cp == '\r') return Kind::Keep;
    if (cp < 0x80) {
        if (options.removeControl && (cp < 0x20 || cp == 0x7F)) return Kind::Drop;
        return Kind::Keep;
    }
    auto category = utf8proc_category(utf8proc_int32_t(cp));
    if (options.removeControl) {
        if (category == UTF8PROC_CATEGORY_CC) return Kind::Drop;
        if (category == UTF8PROC_CATEGORY_CF && cp != 0x200C && cp != 0x200D) return Kind::Drop;
    }
    if (options.whitespace && category == UTF8PROC_CATEGORY_ZS) return Kind::Space;
    return Kind::Keep;
}

// Kinds by first byte: ASCII classified, every non-ASCII lead or continuation byte NonAscii.
std::array<Kind, 256> byteTable(const NormalizeOptions& options) {
    std::array<Kind, 256> table{};
    for (char32_t c = 0; c < 256; ++c)
        table[c] = c < 0x80 ? classify(c, options) : Kind::NonAscii;
    return table;
}

// The white-space state machine: spaces and newlines are held back and emitted only before the
// next visible character, which drops them at line and text ends.
class WhitespaceWriter {
public:
    explicit WhitespaceWriter(std::string& out) : m_out(out) {}

    void space() {
        if (!m_lineStart) m_space = true;
    }
    void newline() {
        m_space = false;
        m_lineStart = true;
        if (!m_out.empty()) ++m_newlines;
    }
    void visible(const char* bytes, size_t size) {
        if (m_newlines > 0) {
            m_out.append(m_newlines > 1 ? "\n\n" : "\n");
            m_newlines = 0;
        } else if (m_space) {
            m_out.push_back(' ');
        }
        m_space = false;
        m_lineStart = false;
        m_out.append(bytes, size);
    }

private:
    std::string& m_out;
    int m_newlines = 0;
    bool m_space = false;
    bool m_lineStart = true;
};

bool isAscii(std::string_view text) {
    size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        if (word & 0x8080808080808080ull) return false;
    }
    for (; i < text.size(); ++i)
        if (static_cast<unsigned char>(text[i]) >= 0x80) return false;
    return true;
}

void appendNfkcOfSegment(std::string_view segment, std::string& out) {
    utf8proc_uint8_t* mapped = nullptr;
    auto length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(segment.data()), utf8proc_ssize_t(segment.size()),
        &mapped, utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
    if (length < 0) {
        out += segment;  // not valid UTF-8: the reader repaired input, so this is never reached
    } else {
        out.append(reinterpret_cast<const char*>(mapped), size_t(length));
    }
    std::free(mapped);
}

}  // namespace

void appendNfkc(std::string_view text, std::string& out) {
    // A boundary between two ASCII characters is safe: no composition or reordering crosses it.
    // So ASCII stretches are copied, and each non-ASCII stretch goes to utf8proc together with
    // the ASCII character before it (a base letter a combining mark may compose with).
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    size_t pos = 0;
    while (pos < n) {
        size_t ascii = pos;
        while (ascii < n && s[ascii] < 0x80)
            ++ascii;
        if (ascii == n) {
            out.append(text.data() + pos, n - pos);
            break;
        }
        size_t segmentStart = ascii > pos ? ascii - 1 : ascii;
        out.append(text.data() + pos, segmentStart - pos);
        size_t segmentEnd = ascii;
        while (segmentEnd < n &&
               !(s[segmentEnd] < 0x80 && (segmentEnd + 1 == n || s[segmentEnd + 1] < 0x80)))
            ++segmentEnd;
        appendNfkcOfSegment(text.substr(segmentStart, segmentEnd - segmentStart), out);
        pos = segmentEnd;
    }
}

void normalizeText(std::string_view text, const NormalizeOptions& options, std::string& out,
                   std::string& scratch) {
    out.clear();
    out.reserve(text.size());
    bool ascii = isAscii(text);
    std::string_view input = text;
    if (options.nfkc && !ascii) {
        scratch.clear();
        appendNfkc(text, scratch);
        input = scratch;
    }
    if (!options.removeControl && !options.whitespace) {
        out.assign(input);
        return;
    }
    static thread_local NormalizeOptions tableOptions{false, false, false};
    static thread_local std::array<Kind, 256> table = byteTable(tableOptions);
    if (!(tableOptions == options)) {
        tableOptions = options;
        table = byteTable(options);
    }
    const std::array<Kind, 256>& kinds = table;  // read through a plain reference in the loop
    WhitespaceWriter writer(out);
    bool afterReturn = false;  // a '\n' after '\r' (dropped characters between) ends no new line
    const char* s = input.data();
    size_t n = input.size();
    size_t pos = 0;
    while (pos < n) {
        unsigned char c = static_cast<unsigned char>(s[pos]);
        Kind kind = kinds[c];
        size_t length = 1;
        if (kind == Kind::Keep) {
            // A run of ordinary ASCII goes out in one append.
            size_t end = pos + 1;
            while (end < n && kinds[static_cast<unsigned char>(s[end])] == Kind::Keep)
                ++end;
            writer.visible(s + pos, end - pos);
            afterReturn = false;
            pos = end;
            continue;
        }
        if (kind == Kind::NonAscii) {
            size_t next = pos;
            char32_t cp = common::decodeUtf8(input, next);
            length = next - pos;
            kind = classify(cp, options);
        }
        switch (kind) {
            case Kind::Keep:
                if (options.whitespace) {
                    writer.visible(s + pos, length);
                } else {
                    out.append(s + pos, length);
                }
                afterReturn = false;
                break;
            case Kind::Space:
                writer.space();
                afterReturn = false;
                break;
            case Kind::Newline:
                if (!(afterReturn && c == '\n')) writer.newline();
                afterReturn = false;
                break;
            case Kind::Return:
                writer.newline();
                afterReturn = true;
                break;
            case Kind::Drop:
            case Kind::NonAscii:
                break;
        }
        pos += length;
    }
}

std::string normalizeTextReference(std::string_view text, const NormalizeOptions& options) {
    std::string current(text);
    if (options.nfkc) {
        std::string nfkc;
        appendNfkcOfSegment(current, nfkc);
        current = nfkc;
    }
    // Decode once into code points, then apply each rule as its own pass.
    std::u32string cps;
    for (size_t pos = 0; pos < current.size();)
        cps.push_back(common::decodeUtf8(current, pos));

    if (options.removeControl) {
        std::u32string kept;
        for (char32_t cp : cps) {
            auto category = utf8proc_category(utf8proc_int32_t(cp));
            bool lineBreakOrTab = cp == '\t' || cp == '\n' || cp == '\r' ||
                                  (options.whitespace && (cp == '\v' || cp == '\f' || cp == 0x85));
            if (category == UTF8PROC_CATEGORY_CC && !lineBreakOrTab) continue;
            if (category == UTF8PROC_CATEGORY_CF && cp != 0x200C && cp != 0x200D) continue;
            kept.push_back(cp);
        }
        cps = kept;
    }
    if (options.whitespace) {
        // 1. Unify line breaks and spaces.
        std::u32string unified;
        for (size_t i = 0; i < cps.size(); ++i) {
            char32_t cp = cps[i];
            if (cp == '\r') {
                if (i + 1 < cps.size() && cps[i + 1] == '\n') ++i;
                unified.push_back('\n');
            } else if (cp == '\v' || cp == '\f' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
                unified.push_back('\n');
            } else if (cp == '\t' ||
                       utf8proc_category(utf8proc_int32_t(cp)) == UTF8PROC_CATEGORY_ZS) {
                unified.push_back(' ');
            } else {
                unified.push_back(cp);
            }
        }
        // 2. Split into lines; trim each and collapse inner space runs.
        std::vector<std::u32string> lines(1);
        for (char32_t cp : unified) {
            if (cp == '\n') {
                lines.emplace_back();
            } else {
                lines.back().push_back(cp);
            }
        }
        for (std::u32string& line : lines) {
            std::u32string collapsed;
            for (char32_t cp : line) {
                if (cp == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
                collapsed.push_back(cp);
            }
            if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
            line = collapsed;
        }
        // 3. Join: blank-line runs become one blank line; none at the start or the end.
        std::u32string joined;
        int blanks = 0;
        for (const std::u32string& line : lines) {
            if (line.empty()) {
                ++blanks;
                continue;
            }
            if (!joined.empty()) joined += blanks > 0 ? U"\n\n" : U"\n";
            blanks = 0;
            joined += line;
        }
        cps = joined;
    }
    std::string out;
    for (char32_t cp : cps)
        common::appendUtf8(out, cp);
    return out;
}

}  // namespace strata::cleaning
