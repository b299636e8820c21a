// GGUF files written byte by byte, for tests that need files no converter would write: each
// call appends one field in GGUF's little-endian layout.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace strata::test {

class GgufBytes {
public:
    template <typename T>
    GgufBytes& raw(T value) {
        char bytes[sizeof(T)];
        std::memcpy(bytes, &value, sizeof(T));
        m_bytes.append(bytes, sizeof(T));
        return *this;
    }
    GgufBytes& string(std::string_view text) {
        raw(uint64_t(text.size()));
        m_bytes.append(text);
        return *this;
    }
    GgufBytes& header(uint64_t tensors, uint64_t keys, uint32_t version = 3) {
        m_bytes.append("GGUF");
        return raw(version).raw(tensors).raw(keys);
    }
    // Metadata: key, GGUF value type, value.
    GgufBytes& keyString(std::string_view key, std::string_view value) {
        return string(key).raw(uint32_t(8)).string(value);
    }
    GgufBytes& keyU32(std::string_view key, uint32_t value) {
        return string(key).raw(uint32_t(4)).raw(value);
    }
    GgufBytes& keyF32(std::string_view key, float value) {
        return string(key).raw(uint32_t(6)).raw(value);
    }
    GgufBytes& keyBool(std::string_view key, bool value) {
        return string(key).raw(uint32_t(7)).raw(uint8_t(value));
    }
    GgufBytes& keyStrings(std::string_view key, const std::vector<std::string>& values) {
        string(key).raw(uint32_t(9)).raw(uint32_t(8)).raw(uint64_t(values.size()));
        for (const std::string& value : values)
            string(value);
        return *this;
    }
    GgufBytes& keyInts(std::string_view key, const std::vector<int32_t>& values) {
        string(key).raw(uint32_t(9)).raw(uint32_t(5)).raw(uint64_t(values.size()));
        for (int32_t value : values)
            raw(value);
        return *this;
    }
    // A tensor record: dimensions innermost first, as GGUF stores them.
    GgufBytes& tensor(std::string_view name, const std::vector<uint64_t>& dims, uint32_t type,
                      uint64_t offset) {
        string(name).raw(uint32_t(dims.size()));
        for (uint64_t dim : dims)
            raw(dim);
        return raw(type).raw(offset);
    }
    GgufBytes& align(size_t alignment = 32) {
        m_bytes.append((alignment - m_bytes.size() % alignment) % alignment, '\0');
        return *this;
    }
    GgufBytes& floats(const std::vector<float>& values) {
        for (float value : values)
            raw(value);
        return *this;
    }

    const std::string& bytes() const { return m_bytes; }

private:
    std::string m_bytes;
};

}  // namespace strata::test
