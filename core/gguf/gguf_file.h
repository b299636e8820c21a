// GGUF, the single-file model format of llama.cpp and Ollama (versions 2 and 3): a header
//   "GGUF", version, tensor count, metadata count
// then metadata as typed key/value pairs (general.architecture, llama.block_count,
// tokenizer.ggml.tokens, ...), then one record per tensor (name, dimensions innermost first,
// ggml type, offset into the data), then the tensor data from the next multiple of
// general.alignment (32 unless the file says otherwise). All little-endian.
//
// Everything is validated before anything is allocated from a count in the file, as the
// safetensors header is: counts and string lengths against the bytes left, the version, the
// alignment, every tensor's type (one Strata can read, else its name), dimensions (no overflow,
// whole blocks), offset (aligned, inside the file) and that no two tensors overlap. Any problem is
// a common::Error naming the file, and the key or tensor. Strings and tensor data are views of
// the mapped file: nothing is copied until a caller dequantizes a tensor (gguf_quants.h).
#pragma once

#include "core/common/mapped_file.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace strata::gguf {

inline constexpr uint32_t kDefaultAlignment = 32;

// The ggml tensor types Strata reads and writes; the numbers are ggml's.
enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q8_0 = 8,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    BF16 = 30,
};

struct GgmlTypeTraits {
    const char* name;       // ggml's: "Q4_K", "BF16", ...
    int64_t blockElements;  // values per block (1 for the float types)
    int64_t blockBytes;     // bytes per block
};

const GgmlTypeTraits& ggmlTypeTraits(GgmlType type);
// The type of ggml's number `id`, when it is one of GgmlType.
std::optional<GgmlType> ggmlTypeFromId(uint32_t id);
// ggml's name of any type number ("IQ2_XXS", ...), for errors about types Strata cannot read.
std::string ggmlTypeName(uint32_t id);
// Bytes of `elements` values of `type`; `elements` must be whole blocks.
uint64_t ggmlTypeBytes(GgmlType type, uint64_t elements);

// Metadata value types; the numbers are GGUF's.
enum class ValueType : uint32_t {
    Uint8 = 0,
    Int8 = 1,
    Uint16 = 2,
    Int16 = 3,
    Uint32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    Uint64 = 10,
    Int64 = 11,
    Float64 = 12,
};
const char* valueTypeName(ValueType type);

struct Value;
struct Array {
    ValueType elementType = ValueType::Uint8;
    std::vector<Value> values;
};
// One metadata value: unsigned integers as uint64_t, signed as int64_t, floats as double,
// strings as views of the file.
struct Value {
    ValueType type = ValueType::Uint8;
    std::variant<uint64_t, int64_t, double, bool, std::string_view, Array> data;
};

struct TensorInfo {
    std::string_view name;
    std::vector<int64_t>
        shape;  // outermost first, as torch orders it (GGUF stores innermost first)
    GgmlType type = GgmlType::F32;
    uint64_t elements = 0;
    uint64_t offset = 0;  // into the file
    uint64_t bytes = 0;
};

class GgufFile {
public:
    // Maps and validates `path`.
    explicit GgufFile(const std::filesystem::path& path);
    // Validates the bytes of a whole file, held by the caller for the object's lifetime; `name`
    // names it in errors.
    GgufFile(std::string_view bytes, std::string name);

    const std::string& name() const { return m_name; }
    uint32_t version() const { return m_version; }
    const std::map<std::string_view, Value>& metadata() const { return m_metadata; }
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }  // in the file's order
    const TensorInfo* findTensor(std::string_view name) const;
    std::string_view tensorData(const TensorInfo& tensor) const {
        return m_bytes.substr(tensor.offset, tensor.bytes);
    }

    // Typed reads of one key: absent gives nullopt, a value of another type an error naming the
    // key. Integers of any width and sign are accepted when the value fits.
    const Value* find(std::string_view key) const;
    std::optional<std::string_view> findString(std::string_view key) const;
    std::optional<int64_t> findInteger(std::string_view key) const;
    std::optional<double> findNumber(std::string_view key) const;  // a float or an integer
    std::optional<bool> findBool(std::string_view key) const;
    const Array* findArray(std::string_view key, ValueType elementType) const;
    // The same, for keys that must be there.
    std::string_view string(std::string_view key) const;
    int64_t integer(std::string_view key) const;
    double number(std::string_view key) const;

private:
    void parse();

    common::MappedFile m_mapping;
    std::string_view m_bytes;
    std::string m_name;
    uint32_t m_version = 0;
    std::map<std::string_view, Value> m_metadata;
    std::vector<TensorInfo> m_tensors;
    std::map<std::string_view, size_t> m_tensorIndex;
};

}  // namespace strata::gguf
