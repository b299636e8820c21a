// The safetensors format (Hugging Face), both ways: an 8-byte little-endian header length, a
// JSON header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the raw little-endian tensor bytes. Checkpoints and exported models store tensors only in
// this form, never in pickle-based formats that can run code.
//
// Reading validates the whole header before touching any data (safetensors_header.h): any
// problem is a common::Error naming the file and the tensor. Writing goes through AtomicFile.
#pragma once

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::model {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;
using Metadata = std::map<std::string, std::string>;

// Tensors are written in the order given (contiguous, on the CPU); names must be unique.
void saveSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                     const Metadata& metadata = {});

struct SafetensorsContent {
    std::map<std::string, torch::Tensor> tensors;  // owned CPU tensors
    Metadata metadata;
};

SafetensorsContent loadSafetensors(const std::filesystem::path& path);
// The same tensors as views of the file's read-only memory map, which they keep alive: nothing is
// read or allocated until they are used. Writing into them faults; copy them first.
SafetensorsContent mapSafetensors(const std::filesystem::path& path);

}  // namespace strata::model
