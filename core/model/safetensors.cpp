#include "core/model/safetensors.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace strata::model {

namespace fs = std::filesystem;
using common::fail;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100ull << 20;  // the reference implementation's limit

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

std::optional<torch::ScalarType> dtypeOf(std::string_view name) {
    for (const DtypeName& dtype : kDtypes)
        if (name == dtype.name) return dtype.type;
    return std::nullopt;
}

struct Entry {
    std::string name;
    torch::ScalarType type;
    std::vector<int64_t> shape;
    uint64_t begin, end;
};

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

SafetensorsContent loadSafetensors(const fs::path& path) {
    common::MappedFile file(path);
    std::string where = path.string();
    if (file.size() < 8)
        fail("{}: not a safetensors file (shorter than its 8-byte header length)", where);
    uint64_t headerLength;
    std::memcpy(&headerLength, file.data(), 8);
    if (headerLength > kMaxHeaderBytes || headerLength > file.size() - 8)
        fail("{}: header length {} does not fit the {}-byte file", where, headerLength,
             file.size());
    uint64_t dataBytes = file.size() - 8 - headerLength;

    simdjson::dom::parser parser;
    simdjson::dom::object header;
    simdjson::padded_string json(file.data() + 8, size_t(headerLength));
    if (parser.parse(json).get(header)) fail("{}: the header is not a JSON object", where);

    SafetensorsContent content;
    std::vector<Entry> entries;
    std::set<std::string> names;
    for (auto field : header) {
        std::string name(field.key);
        if (!names.insert(name).second)
            fail("{}: tensor '{}' appears twice in the header", where, name);
        if (name == "__metadata__") {
            simdjson::dom::object metadata;
            if (field.value.get(metadata)) fail("{}: __metadata__ is not an object", where);
            for (auto item : metadata) {
                std::string_view value;
                if (item.value.get(value))
                    fail("{}: __metadata__ value '{}' is not a string", where, item.key);
                content.metadata[std::string(item.key)] = std::string(value);
            }
            continue;
        }
        Entry entry{name, torch::kFloat32, {}, 0, 0};
        std::string_view dtype;
        simdjson::dom::array shape, offsets;
        if (field.value["dtype"].get(dtype) || field.value["shape"].get(shape) ||
            field.value["data_offsets"].get(offsets))
            fail("{}: tensor '{}' needs dtype, shape and data_offsets", where, name);
        std::optional<torch::ScalarType> type = dtypeOf(dtype);
        if (!type) fail("{}: tensor '{}' has unknown dtype '{}'", where, name, dtype);
        entry.type = *type;
        uint64_t numel = 1;
        for (simdjson::dom::element size : shape) {
            int64_t value;
            if (size.get(value) || value < 0 ||
                __builtin_mul_overflow(numel, uint64_t(value), &numel))
                fail("{}: tensor '{}' has an invalid shape", where, name);
            entry.shape.push_back(value);
        }
        std::vector<uint64_t> bounds;
        for (simdjson::dom::element bound : offsets) {
            uint64_t value;
            if (bound.get(value)) fail("{}: tensor '{}' has invalid data_offsets", where, name);
            bounds.push_back(value);
        }
        if (bounds.size() != 2 || bounds[0] > bounds[1] || bounds[1] > dataBytes)
            fail("{}: tensor '{}' has data_offsets outside the {} bytes of data", where, name,
                 dataBytes);
        entry.begin = bounds[0];
        entry.end = bounds[1];
        uint64_t expected;
        if (__builtin_mul_overflow(numel, uint64_t(c10::elementSize(entry.type)), &expected) ||
            entry.end - entry.begin != expected)
            fail("{}: tensor '{}' spans {} bytes, its dtype and shape need {}", where, name,
                 entry.end - entry.begin, expected);
        entries.push_back(std::move(entry));
    }
    // The data must be covered exactly: sorted by offset, each tensor starts where the last ended.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    uint64_t covered = 0;
    for (const Entry& entry : entries) {
        if (entry.begin != covered)
            fail("{}: tensor '{}' {} the one before it", where, entry.name,
                 entry.begin < covered ? "overlaps" : "leaves a gap after");
        covered = entry.end;
    }
    if (covered != dataBytes)
        fail("{}: {} bytes of data after the last tensor", where, dataBytes - covered);

    const char* data = file.data() + 8 + headerLength;
    for (const Entry& entry : entries) {
        torch::Tensor tensor = torch::empty(entry.shape, torch::TensorOptions().dtype(entry.type));
        std::memcpy(tensor.data_ptr(), data + entry.begin, size_t(entry.end - entry.begin));
        content.tensors.emplace(entry.name, std::move(tensor));
    }
    return content;
}

}  // namespace strata::model
