// Writes a GGUF file (version 3, gguf_file.h's layout): metadata in the order it is added, then
// the tensor records, then each tensor's data at the next multiple of 32 bytes. The file is
// written to a temporary name and renamed when complete (common::AtomicFile).
#pragma once

#include "core/gguf/gguf_file.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata::gguf {

// general.file_type of a file whose matrices are `type` (llama.cpp's llama_ftype).
uint32_t ggufFileType(GgmlType type);

class GgufWriter {
public:
    GgufWriter& addString(std::string_view key, std::string_view value);
    GgufWriter& addU32(std::string_view key, uint32_t value);
    GgufWriter& addF32(std::string_view key, float value);
    GgufWriter& addBool(std::string_view key, bool value);
    GgufWriter& addStrings(std::string_view key, std::span<const std::string> values);
    GgufWriter& addInt32s(std::string_view key, std::span<const int32_t> values);

    // `shape` outermost first (torch's order); `values` row-major, encoded as `type` (quantize()).
    void addTensor(std::string name, std::vector<int64_t> shape, GgmlType type,
                   std::span<const float> values);

    // Bytes the file will have.
    uint64_t size() const;
    void write(const std::filesystem::path& path) const;

private:
    struct Tensor {
        std::string name;
        std::vector<int64_t> shape;
        GgmlType type;
        std::string data;
    };
    std::string m_metadata;  // the key/value records, encoded
    uint64_t m_keys = 0;
    std::vector<Tensor> m_tensors;
};

}  // namespace strata::gguf
