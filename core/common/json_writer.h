// Appends JSON text to a std::string without building a document tree: the hot paths (cleaned
// documents, funnel reports, events) write millions of small objects.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::common {

// Appends `text` as a quoted JSON string. Control characters become escapes; bytes that are not
// valid UTF-8 become U+FFFD so the output always parses.
void appendJsonString(std::string& out, std::string_view text);
// `text` as a quoted JSON string: how an error message quotes a name that may hold anything.
std::string quotedJson(std::string_view text);

// Builds one JSON object or array; keys and values are appended in call order.
class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(int64_t number);
    JsonWriter& value(uint64_t number);
    JsonWriter& value(int number) { return value(int64_t(number)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    // key(name).value(value), for objects of many fields.
    template <typename T>
    JsonWriter& field(std::string_view name, const T& value) {
        return key(name).value(value);
    }
    // Inserts already-serialized JSON as one value.
    JsonWriter& rawValue(std::string_view json);

    const std::string& str() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    void separate();
    std::string m_out;
    bool m_needComma = false;
};

}  // namespace strata::common
