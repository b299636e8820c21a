#include "core/gguf/gguf_file.h"

#include "core/common/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace strata::gguf {

using common::fail;

namespace {

constexpr uint32_t kMaxDimensions = 4;  // ggml's GGML_MAX_DIMS
constexpr uint32_t kMaxArrayDepth = 4;

// Reads the file front to back; every read checks the bytes left first.
class Cursor {
public:
    Cursor(std::string_view bytes, const std::string& name) : m_bytes(bytes), m_name(name) {}

    size_t position() const { return m_at; }
    size_t left() const { return m_bytes.size() - m_at; }

    template <typename T>
    T read(std::string_view what) {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, m_bytes.data() + m_at, sizeof(T));
        m_at += sizeof(T);
        return value;
    }

    std::string_view readString(std::string_view what) {
        uint64_t length = read<uint64_t>(what);
        need(length, what);
        std::string_view text = m_bytes.substr(m_at, length);
        m_at += length;
        return text;
    }

    // A count of items of at least `minimumBytes` each, checked against the bytes left before
    // anything is allocated for them.
    uint64_t readCount(std::string_view what, uint64_t minimumBytes) {
        uint64_t count = read<uint64_t>(what);
        if (minimumBytes > 0 && count > left() / minimumBytes)
            fail("{}: {} says {} items, more than the {} bytes left can hold", m_name, what, count,
                 left());
        return count;
    }

private:
    void need(uint64_t bytes, std::string_view what) {
        if (bytes > left())
            fail("{}: truncated at byte {} reading {} (the file has {} bytes)", m_name, m_at, what,
                 m_bytes.size());
    }

    std::string_view m_bytes;
    const std::string& m_name;
    size_t m_at = 0;
};

bool isKnownValueType(uint32_t type) {
    return type <= uint32_t(ValueType::Float64);
}

// The fewest bytes a value of `type` takes, for checking counts.
uint64_t minimumValueBytes(ValueType type) {
    switch (type) {
        case ValueType::Uint8:
        case ValueType::Int8:
        case ValueType::Bool:
            return 1;
        case ValueType::Uint16:
        case ValueType::Int16:
            return 2;
        case ValueType::Uint32:
        case ValueType::Int32:
        case ValueType::Float32:
            return 4;
        case ValueType::String:
        case ValueType::Uint64:
        case ValueType::Int64:
        case ValueType::Float64:
            return 8;
        case ValueType::Array:
            return 12;
    }
    return 1;
}

// A float32 as the shortest decimal that reads back to it: 1e-06, not 9.99999997e-07. The file's
// values came from decimal configs (rms_norm_eps 1e-6), and a config.json holds them that way.
double shortestDouble(float value) {
    return std::strtod(fmt::format("{}", value).c_str(), nullptr);
}

Value readValue(Cursor& in, ValueType type, std::string_view key, const std::string& file,
                uint32_t depth) {
    Value value{type, uint64_t(0)};
    switch (type) {
        case ValueType::Uint8:
            value.data = uint64_t(in.read<uint8_t>(key));
            break;
        case ValueType::Uint16:
            value.data = uint64_t(in.read<uint16_t>(key));
            break;
        case ValueType::Uint32:
            value.data = uint64_t(in.read<uint32_t>(key));
            break;
        case ValueType::Uint64:
            value.data = in.read<uint64_t>(key);
            break;
        case ValueType::Int8:
            value.data = int64_t(in.read<int8_t>(key));
            break;
        case ValueType::Int16:
            value.data = int64_t(in.read<int16_t>(key));
            break;
        case ValueType::Int32:
            value.data = int64_t(in.read<int32_t>(key));
            break;
        case ValueType::Int64:
            value.data = in.read<int64_t>(key);
            break;
        case ValueType::Float32:
            value.data = shortestDouble(in.read<float>(key));
            break;
        case ValueType::Float64:
            value.data = in.read<double>(key);
            break;
        case ValueType::Bool: {
            uint8_t flag = in.read<uint8_t>(key);
            if (flag > 1) fail("{}: key '{}' is a bool of value {}", file, key, flag);
            value.data = flag == 1;
            break;
        }
        case ValueType::String:
            value.data = in.readString(key);
            break;
        case ValueType::Array: {
            if (depth >= kMaxArrayDepth)
                fail("{}: key '{}' nests arrays more than {} deep", file, key, kMaxArrayDepth);
            uint32_t elementType = in.read<uint32_t>(key);
            if (!isKnownValueType(elementType))
                fail("{}: key '{}' is an array of unknown value type {}", file, key, elementType);
            Array array{ValueType(elementType), {}};
            uint64_t count = in.readCount(key, minimumValueBytes(array.elementType));
            array.values.reserve(count);
            for (uint64_t i = 0; i < count; ++i)
                array.values.push_back(readValue(in, array.elementType, key, file, depth + 1));
            value.data = std::move(array);
            break;
        }
    }
    return value;
}

uint64_t alignUp(uint64_t offset, uint64_t alignment) {
    return (offset + alignment - 1) / alignment * alignment;
}

}  // namespace

const GgmlTypeTraits& ggmlTypeTraits(GgmlType type) {
    static const GgmlTypeTraits f32{"F32", 1, 4}, f16{"F16", 1, 2}, bf16{"BF16", 1, 2},
        q4_0{"Q4_0", 32, 18}, q4_1{"Q4_1", 32, 20}, q8_0{"Q8_0", 32, 34}, q4_k{"Q4_K", 256, 144},
        q5_k{"Q5_K", 256, 176}, q6_k{"Q6_K", 256, 210};
    switch (type) {
        case GgmlType::F32:
            return f32;
        case GgmlType::F16:
            return f16;
        case GgmlType::BF16:
            return bf16;
        case GgmlType::Q4_0:
            return q4_0;
        case GgmlType::Q4_1:
            return q4_1;
        case GgmlType::Q8_0:
            return q8_0;
        case GgmlType::Q4_K:
            return q4_k;
        case GgmlType::Q5_K:
            return q5_k;
        case GgmlType::Q6_K:
            return q6_k;
    }
    fail("ggml type {} has no traits", uint32_t(type));
}

std::optional<GgmlType> ggmlTypeFromId(uint32_t id) {
    switch (GgmlType(id)) {
        case GgmlType::F32:
        case GgmlType::F16:
        case GgmlType::BF16:
        case GgmlType::Q4_0:
        case GgmlType::Q4_1:
        case GgmlType::Q8_0:
        case GgmlType::Q4_K:
        case GgmlType::Q5_K:
        case GgmlType::Q6_K:
            return GgmlType(id);
    }
    return std::nullopt;
}

std::string ggmlTypeName(uint32_t id) {
    static const char* const names[] = {
        "F32",      "F16",      "Q4_0",    "Q4_1",  "Q4_2",   "Q4_3",  "Q5_0",  "Q5_1",
        "Q8_0",     "Q8_1",     "Q2_K",    "Q3_K",  "Q4_K",   "Q5_K",  "Q6_K",  "Q8_K",
        "IQ2_XXS",  "IQ2_XS",   "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS",
        "I8",       "I16",      "I32",     "I64",   "F64",    "IQ1_M", "BF16",  "Q4_0_4_4",
        "Q4_0_4_8", "Q4_0_8_8", "TQ1_0",   "TQ2_0"};
    if (id < std::size(names)) return names[id];
    return "type " + std::to_string(id);
}

uint64_t ggmlTypeBytes(GgmlType type, uint64_t elements) {
    const GgmlTypeTraits& traits = ggmlTypeTraits(type);
    return elements / traits.blockElements * traits.blockBytes;
}

const char* valueTypeName(ValueType type) {
    static const char* const names[] = {"uint8",  "int8",    "uint16", "int16",  "uint32",
                                        "int32",  "float32", "bool",   "string", "array",
                                        "uint64", "int64",   "float64"};
    return uint32_t(type) < std::size(names) ? names[uint32_t(type)] : "unknown";
}

GgufFile::GgufFile(const std::filesystem::path& path)
    : m_mapping(path), m_bytes(m_mapping.view()), m_name(path.string()) {
    parse();
}

GgufFile::GgufFile(std::string_view bytes, std::string name)
    : m_bytes(bytes), m_name(std::move(name)) {
    parse();
}

void GgufFile::parse() {
    Cursor in(m_bytes, m_name);
    if (m_bytes.size() < 4 || m_bytes.substr(0, 4) != "GGUF")
        fail("{}: not a GGUF file (it does not start with 'GGUF')", m_name);
    in.read<uint32_t>("the magic");
    m_version = in.read<uint32_t>("the version");
    if (m_version != 2 && m_version != 3)
        fail("{}: GGUF version {} (Strata reads versions 2 and 3)", m_name, m_version);
    // A tensor record takes at least 8 (name length) + 4 + 8 + 4 + 8 bytes, a key/value 8 + 4 + 1.
    uint64_t tensorCount = in.readCount("the tensor count", 8 + 4 + 8 + 4 + 8);
    uint64_t keyCount = in.readCount("the metadata count", 8 + 4 + 1);

    for (uint64_t i = 0; i < keyCount; ++i) {
        std::string_view key = in.readString("a metadata key");
        if (key.empty()) fail("{}: metadata key {} is empty", m_name, i);
        uint32_t type = in.read<uint32_t>(key);
        if (!isKnownValueType(type))
            fail("{}: key '{}' has unknown value type {}", m_name, key, type);
        Value value = readValue(in, ValueType(type), key, m_name, 0);
        if (!m_metadata.emplace(key, std::move(value)).second)
            fail("{}: key '{}' appears twice", m_name, key);
    }

    uint64_t alignment = kDefaultAlignment;
    if (find("general.alignment")) {
        int64_t stated = integer("general.alignment");
        if (stated <= 0 || (stated & (stated - 1)) != 0)
            fail("{}: key 'general.alignment' is {}, not a power of two", m_name, stated);
        alignment = uint64_t(stated);
    }

    m_tensors.reserve(tensorCount);
    std::vector<uint64_t> relativeOffsets;
    relativeOffsets.reserve(tensorCount);
    for (uint64_t i = 0; i < tensorCount; ++i) {
        TensorInfo tensor;
        tensor.name = in.readString("a tensor name");
        if (tensor.name.empty()) fail("{}: tensor {} has an empty name", m_name, i);
        uint32_t dimensions = in.read<uint32_t>(tensor.name);
        if (dimensions == 0 || dimensions > kMaxDimensions)
            fail("{}: tensor '{}' has {} dimensions (1 to {} are valid)", m_name, tensor.name,
                 dimensions, kMaxDimensions);
        tensor.shape.resize(dimensions);
        uint64_t elements = 1;
        for (uint32_t d = 0; d < dimensions; ++d) {
            uint64_t size = in.read<uint64_t>(tensor.name);
            if (size == 0 || size > uint64_t(std::numeric_limits<int64_t>::max()) ||
                elements > uint64_t(std::numeric_limits<int64_t>::max()) / size)
                fail("{}: tensor '{}' has dimension {} of size {}", m_name, tensor.name, d, size);
            elements *= size;
            tensor.shape[dimensions - 1 - d] = int64_t(size);
        }
        tensor.elements = elements;
        uint32_t typeId = in.read<uint32_t>(tensor.name);
        std::optional<GgmlType> type = ggmlTypeFromId(typeId);
        if (!type)
            fail(
                "{}: tensor '{}' has type {}, which Strata cannot read (it reads F32, F16, BF16, "
                "Q8_0, Q4_0, Q4_1, Q4_K, Q5_K and Q6_K)",
                m_name, tensor.name, ggmlTypeName(typeId));
        tensor.type = *type;
        const GgmlTypeTraits& traits = ggmlTypeTraits(tensor.type);
        if (tensor.shape.back() % traits.blockElements != 0)
            fail("{}: tensor '{}' has rows of {} values, not whole {} blocks of {}", m_name,
                 tensor.name, tensor.shape.back(), traits.name, traits.blockElements);
        tensor.bytes = ggmlTypeBytes(tensor.type, elements);
        relativeOffsets.push_back(in.read<uint64_t>(tensor.name));
        if (relativeOffsets.back() % alignment != 0)
            fail("{}: tensor '{}' starts at offset {}, not a multiple of the alignment {}", m_name,
                 tensor.name, relativeOffsets.back(), alignment);
        if (!m_tensorIndex.emplace(tensor.name, m_tensors.size()).second)
            fail("{}: tensor '{}' appears twice", m_name, tensor.name);
        m_tensors.push_back(std::move(tensor));
    }

    uint64_t dataStart = alignUp(in.position(), alignment);
    std::vector<size_t> byOffset(m_tensors.size());
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        TensorInfo& tensor = m_tensors[i];
        uint64_t available = m_bytes.size() >= dataStart ? m_bytes.size() - dataStart : 0;
        if (relativeOffsets[i] > available || tensor.bytes > available - relativeOffsets[i])
            fail("{}: tensor '{}' ({} bytes at offset {}) runs past the end of the file", m_name,
                 tensor.name, tensor.bytes, relativeOffsets[i]);
        tensor.offset = dataStart + relativeOffsets[i];
        byOffset[i] = i;
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [&](size_t a, size_t b) { return m_tensors[a].offset < m_tensors[b].offset; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        const TensorInfo& before = m_tensors[byOffset[i - 1]];
        const TensorInfo& after = m_tensors[byOffset[i]];
        if (before.offset + before.bytes > after.offset)
            fail("{}: tensors '{}' and '{}' overlap", m_name, before.name, after.name);
    }
}

const TensorInfo* GgufFile::findTensor(std::string_view name) const {
    auto found = m_tensorIndex.find(name);
    return found == m_tensorIndex.end() ? nullptr : &m_tensors[found->second];
}

const Value* GgufFile::find(std::string_view key) const {
    auto found = m_metadata.find(key);
    return found == m_metadata.end() ? nullptr : &found->second;
}

std::optional<std::string_view> GgufFile::findString(std::string_view key) const {
    const Value* value = find(key);
    if (!value) return std::nullopt;
    if (value->type != ValueType::String)
        fail("{}: key '{}' must be a string, not {}", m_name, key, valueTypeName(value->type));
    return std::get<std::string_view>(value->data);
}

std::optional<int64_t> GgufFile::findInteger(std::string_view key) const {
    const Value* value = find(key);
    if (!value) return std::nullopt;
    if (const auto* number = std::get_if<int64_t>(&value->data)) return *number;
    if (const auto* number = std::get_if<uint64_t>(&value->data)) {
        if (*number > uint64_t(std::numeric_limits<int64_t>::max()))
            fail("{}: key '{}' is {}, too large", m_name, key, *number);
        return int64_t(*number);
    }
    fail("{}: key '{}' must be an integer, not {}", m_name, key, valueTypeName(value->type));
}

std::optional<double> GgufFile::findNumber(std::string_view key) const {
    const Value* value = find(key);
    if (!value) return std::nullopt;
    if (const auto* number = std::get_if<double>(&value->data)) return *number;
    return double(*findInteger(key));
}

std::optional<bool> GgufFile::findBool(std::string_view key) const {
    const Value* value = find(key);
    if (!value) return std::nullopt;
    if (value->type != ValueType::Bool)
        fail("{}: key '{}' must be a bool, not {}", m_name, key, valueTypeName(value->type));
    return std::get<bool>(value->data);
}

const Array* GgufFile::findArray(std::string_view key, ValueType elementType) const {
    const Value* value = find(key);
    if (!value) return nullptr;
    const auto* array = std::get_if<Array>(&value->data);
    if (!array)
        fail("{}: key '{}' must be an array, not {}", m_name, key, valueTypeName(value->type));
    if (array->elementType != elementType)
        fail("{}: key '{}' must be an array of {}, not of {}", m_name, key,
             valueTypeName(elementType), valueTypeName(array->elementType));
    return array;
}

std::string_view GgufFile::string(std::string_view key) const {
    std::optional<std::string_view> value = findString(key);
    if (!value) fail("{}: key '{}' is missing", m_name, key);
    return *value;
}

int64_t GgufFile::integer(std::string_view key) const {
    std::optional<int64_t> value = findInteger(key);
    if (!value) fail("{}: key '{}' is missing", m_name, key);
    return *value;
}

double GgufFile::number(std::string_view key) const {
    std::optional<double> value = findNumber(key);
    if (!value) fail("{}: key '{}' is missing", m_name, key);
    return *value;
}

}  // namespace strata::gguf
