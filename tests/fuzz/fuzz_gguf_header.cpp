// libFuzzer target for GGUF files, models from anywhere: any bytes must either validate (every
// tensor inside the file, whole blocks, no overlap) or throw common::Error, before a tensor is
// read.
#include "core/common/error.h"
#include "core/gguf/gguf_file.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        gguf::GgufFile file(bytes, "fuzz.gguf");
        // What validated must be safe to read.
        for (const gguf::TensorInfo& tensor : file.tensors())
            if (tensor.offset > size || tensor.bytes > size - tensor.offset ||
                tensor.bytes != gguf::ggmlTypeBytes(tensor.type, tensor.elements))
                std::abort();
    } catch (const common::Error&) {
    }
    return 0;
}
