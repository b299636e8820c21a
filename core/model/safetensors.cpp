#include "core/model/safetensors.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/model_spec/safetensors_header.h"

#include <memory>
#include <set>

namespace strata::model {

namespace fs = std::filesystem;
using common::fail;

namespace {

struct DtypeName {
    const char* name;
    torch::ScalarType type;
};

constexpr DtypeName kDtypes[] = {
    {"F64", torch::kFloat64},
    {"F32", torch::kFloat32},
    {"F16", torch::kFloat16},
    {"BF16", torch::kBFloat16},
    {"I64", torch::kInt64},
    {"I32", torch::kInt32},
    {"I16", torch::kInt16},
    {"I8", torch::kInt8},
    {"U8", torch::kUInt8},
    {"BOOL", torch::kBool},
    {"F8_E4M3", torch::kFloat8_e4m3fn},
    {"F8_E5M2", torch::kFloat8_e5m2},
};

const char* dtypeName(torch::ScalarType type) {
    for (const DtypeName& dtype : kDtypes)
        if (dtype.type == type) return dtype.name;
    fail("safetensors cannot store tensors of type {}", c10::toString(type));
}

// Every dtype safetensors_header.h accepts is here.
torch::ScalarType dtypeOf(std::string_view name) {
    for (const DtypeName& dtype : kDtypes)
        if (name == dtype.name) return dtype.type;
    fail("safetensors dtype {} has no tensor type", name);
}

}  // namespace

void saveSafetensors(const fs::path& path, const NamedTensors& tensors, const Metadata& metadata) {
    std::set<std::string> names;
    common::JsonWriter header;
    header.beginObject();
    if (!metadata.empty()) {
        header.key("__metadata__").beginObject();
        for (const auto& [key, value] : metadata)
            header.key(key).value(value);
        header.endObject();
    }
    std::vector<torch::Tensor> contiguous;
    uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__" || !names.insert(name).second)
            fail("{}: tensor name '{}' is used twice or reserved", path.string(), name);
        torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
        uint64_t bytes = uint64_t(cpu.nbytes());
        header.key(name).beginObject().key("dtype").value(dtypeName(cpu.scalar_type()));
        header.key("shape").beginArray();
        for (int64_t size : cpu.sizes())
            header.value(size);
        header.endArray()
            .key("data_offsets")
            .beginArray()
            .value(offset)
            .value(offset + bytes)
            .endArray()
            .endObject();
        offset += bytes;
        contiguous.push_back(std::move(cpu));
    }
    header.endObject();
    std::string text = header.take();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
    uint64_t length = text.size();
    common::AtomicFile file(path);
    file.write(&length, sizeof length);
    file.write(text);
    for (const torch::Tensor& tensor : contiguous)
        file.write(tensor.data_ptr(), size_t(tensor.nbytes()));
    file.commit();
}

SafetensorsContent mapSafetensors(const fs::path& path) {
    auto file = std::make_shared<common::MappedFile>(path);
    model_spec::SafetensorsHeader header =
        model_spec::parseSafetensorsHeader(file->view(), path.string());
    SafetensorsContent content;
    content.metadata = std::move(header.metadata);
    // The bytes are read through the views, never written (the map is PROT_READ).
    char* data = const_cast<char*>(file->data()) + header.dataOffset;
    for (const model_spec::SafetensorsEntry& entry : header.tensors) {
        torch::Tensor view = torch::from_blob(
            data + entry.begin, entry.shape, [file](void*) {},
            torch::TensorOptions().dtype(dtypeOf(entry.dtype)));
        content.tensors.emplace(entry.name, std::move(view));
    }
    return content;
}

SafetensorsContent loadSafetensors(const fs::path& path) {
    // Copies of the views: the map goes when the last view does, here.
    SafetensorsContent content = mapSafetensors(path);
    for (auto& [name, tensor] : content.tensors)
        tensor = tensor.clone();
    return content;
}

}  // namespace strata::model
