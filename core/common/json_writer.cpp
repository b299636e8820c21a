#include "core/common/json_writer.h"

#include "core/common/utf8.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

namespace strata::common {

namespace {

// True when none of the eight bytes at `p` needs escaping or UTF-8 checking: each is in
// 0x20..0x7E and is neither '"' nor '\\'. Bit tricks on a 64-bit word (SWAR).
bool isPlainAscii8(const char* p) {
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
    uint64_t x;
    std::memcpy(&x, p, 8);
    auto hasZeroByte = [](uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
    auto hasByteBelow = [](uint64_t v, uint8_t n) { return ((v - kOnes * n) & ~v & kHighs) != 0; };
    return (x & kHighs) == 0 && !hasByteBelow(x, 0x20) && !hasZeroByte(x ^ (kOnes * 0x7F)) &&
           !hasZeroByte(x ^ (kOnes * '"')) && !hasZeroByte(x ^ (kOnes * '\\'));
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    size_t i = 0;
    while (i < text.size()) {
        // Copy the run of bytes that need no escaping in one go: the common case by far.
        size_t runStart = i;
        while (i < text.size()) {
            // Eight plain ASCII bytes at a time, then one character at a time.
            while (i + 8 <= text.size() && isPlainAscii8(text.data() + i))
                i += 8;
            if (i >= text.size()) break;
            unsigned char c = static_cast<unsigned char>(text[i]);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) break;
            if (c >= 0x80) {
                size_t length = utf8SequenceLength(text, i);
                if (length == 0) break;
                i += length;
            } else {
                ++i;
            }
        }
        out.append(text.data() + runStart, i - runStart);
        if (i >= text.size()) break;
        unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c >= 0x80) {
                    out += "\xEF\xBF\xBD";  // an ill-formed byte
                } else {
                    out += fmt::format("\\u{:04x}", c);
                }
        }
        ++i;
    }
    out.push_back('"');
}

std::string quotedJson(std::string_view text) {
    std::string quoted;
    appendJsonString(quoted, text);
    return quoted;
}

void JsonWriter::separate() {
    if (m_needComma) m_out.push_back(',');
    m_needComma = true;
}

JsonWriter& JsonWriter::beginObject() {
    separate();
    m_out.push_back('{');
    m_needComma = false;
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    m_out.push_back('}');
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    separate();
    m_out.push_back('[');
    m_needComma = false;
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    m_out.push_back(']');
    m_needComma = true;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    appendJsonString(m_out, name);
    m_out.push_back(':');
    m_needComma = false;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    appendJsonString(m_out, text);
    return *this;
}

JsonWriter& JsonWriter::value(int64_t number) {
    separate();
    m_out += fmt::format("{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t number) {
    separate();
    m_out += fmt::format("{}", number);
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    separate();
    // JSON has no NaN or infinity; null keeps the document valid.
    m_out += std::isfinite(number) ? fmt::format("{}", number) : std::string("null");
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    m_out += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::rawValue(std::string_view json) {
    separate();
    m_out += json;
    return *this;
}

}  // namespace strata::common
