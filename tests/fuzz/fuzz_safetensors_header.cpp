// libFuzzer target for safetensors headers, the bytes of a model file from anywhere: any file
// must either validate (every tensor inside the data, sizes that fit, no overlap) or throw
// common::Error, before a tensor is made of it.
#include "core/common/error.h"
#include "core/model_spec/safetensors_header.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view file(reinterpret_cast<const char*>(data), size);
    try {
        model_spec::SafetensorsHeader header =
            model_spec::parseSafetensorsHeader(file, "fuzz.safetensors");
        // What validated must be safe to read.
        for (const model_spec::SafetensorsEntry& entry : header.tensors)
            if (entry.begin > entry.end || header.dataOffset + entry.end > size) std::abort();
    } catch (const common::Error&) {
    }
    return 0;
}
