#include "core/common/json_writer.h"

#include "core/common/utf8.h"

#include <fmt/format.h>

#include <cmath>

namespace strata::common {

void appendJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    size_t i = 0;
    while (i < text.size()) {
        // Copy the run of bytes that need no escaping in one go: the common case by far.
        size_t runStart = i;
        while (i < text.size()) {
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
