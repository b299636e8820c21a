#include "core/gguf/gguf_writer.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/gguf/gguf_quants.h"

#include <cstring>

namespace strata::gguf {

namespace {

template <typename T>
void append(std::string& out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

void appendString(std::string& out, std::string_view text) {
    append(out, uint64_t(text.size()));
    out.append(text);
}

uint64_t alignUp(uint64_t offset) {
    return (offset + kDefaultAlignment - 1) / kDefaultAlignment * kDefaultAlignment;
}

}  // namespace

uint32_t ggufFileType(GgmlType type) {
    switch (type) {
        case GgmlType::F32:
            return 0;
        case GgmlType::F16:
            return 1;
        case GgmlType::Q8_0:
            return 7;
        case GgmlType::BF16:
            return 32;
        default:
            common::fail("Strata does not write {} files (it writes F32, F16, BF16 and Q8_0)",
                         ggmlTypeTraits(type).name);
    }
}

GgufWriter& GgufWriter::addString(std::string_view key, std::string_view value) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::String));
    appendString(m_metadata, value);
    ++m_keys;
    return *this;
}

GgufWriter& GgufWriter::addU32(std::string_view key, uint32_t value) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::Uint32));
    append(m_metadata, value);
    ++m_keys;
    return *this;
}

GgufWriter& GgufWriter::addF32(std::string_view key, float value) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::Float32));
    append(m_metadata, value);
    ++m_keys;
    return *this;
}

GgufWriter& GgufWriter::addBool(std::string_view key, bool value) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::Bool));
    append(m_metadata, uint8_t(value));
    ++m_keys;
    return *this;
}

GgufWriter& GgufWriter::addStrings(std::string_view key, std::span<const std::string> values) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::Array));
    append(m_metadata, uint32_t(ValueType::String));
    append(m_metadata, uint64_t(values.size()));
    for (const std::string& value : values)
        appendString(m_metadata, value);
    ++m_keys;
    return *this;
}

GgufWriter& GgufWriter::addInt32s(std::string_view key, std::span<const int32_t> values) {
    appendString(m_metadata, key);
    append(m_metadata, uint32_t(ValueType::Array));
    append(m_metadata, uint32_t(ValueType::Int32));
    append(m_metadata, uint64_t(values.size()));
    for (int32_t value : values)
        append(m_metadata, value);
    ++m_keys;
    return *this;
}

void GgufWriter::addTensor(std::string name, std::vector<int64_t> shape, GgmlType type,
                           std::span<const float> values) {
    Tensor tensor{std::move(name), std::move(shape), type, {}};
    tensor.data.resize(ggmlTypeBytes(type, values.size()));
    quantize(type, values, reinterpret_cast<uint8_t*>(tensor.data.data()));
    m_tensors.push_back(std::move(tensor));
}

uint64_t GgufWriter::size() const {
    uint64_t header = 4 + 4 + 8 + 8 + m_metadata.size();
    for (const Tensor& tensor : m_tensors)
        header += 8 + tensor.name.size() + 4 + 8 * tensor.shape.size() + 4 + 8;
    uint64_t data = 0;
    for (const Tensor& tensor : m_tensors)
        data = alignUp(data) + tensor.data.size();
    return alignUp(header) + data;
}

void GgufWriter::write(const std::filesystem::path& path) const {
    std::string head;
    head.append("GGUF");
    append(head, uint32_t(3));
    append(head, uint64_t(m_tensors.size()));
    append(head, m_keys);
    head.append(m_metadata);
    uint64_t offset = 0;
    for (const Tensor& tensor : m_tensors) {
        appendString(head, tensor.name);
        append(head, uint32_t(tensor.shape.size()));
        for (auto dim = tensor.shape.rbegin(); dim != tensor.shape.rend(); ++dim)
            append(head, uint64_t(*dim));
        append(head, uint32_t(tensor.type));
        offset = alignUp(offset);
        append(head, offset);
        offset += tensor.data.size();
    }
    head.append(alignUp(head.size()) - head.size(), '\0');

    common::AtomicFile file(path);
    file.write(head);
    uint64_t written = 0;
    for (const Tensor& tensor : m_tensors) {
        file.write(std::string(alignUp(written) - written, '\0'));
        written = alignUp(written);
        file.write(tensor.data);
        written += tensor.data.size();
    }
    file.commit();
}

}  // namespace strata::gguf
