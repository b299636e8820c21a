// The header of a safetensors file (Hugging Face): an 8-byte little-endian header length, a JSON
// header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then
// the raw tensor bytes. Read and validated here without LibTorch, before any tensor is touched:
// the length against the file, the JSON, every dtype and shape (no element count or stride that
// overflows), each tensor's byte size against its offsets, offsets inside the data, no overlaps
// and no gaps, unique names. Any problem is a common::Error naming the file and the tensor.
// core/model/safetensors.h turns the entries into tensors; tests/fuzz feeds this any bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::model_spec {

struct SafetensorsEntry {
    std::string name;
    std::string dtype;  // "F32", "BF16", ... (safetensorsElementSize knows them)
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;  // byte offsets into the data after the header
};

struct SafetensorsHeader {
    std::vector<SafetensorsEntry> tensors;  // in data order
    std::map<std::string, std::string> metadata;
    uint64_t dataOffset = 0;  // where the data starts in the file
};

// Bytes per element of a safetensors dtype name; 0 for a name it does not have.
size_t safetensorsElementSize(std::string_view dtype);

// `file` is the whole file; `where` names it in errors.
SafetensorsHeader parseSafetensorsHeader(std::string_view file, const std::string& where);

}  // namespace strata::model_spec
