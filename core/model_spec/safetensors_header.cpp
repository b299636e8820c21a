#include "core/model_spec/safetensors_header.h"

#include "core/common/error.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

namespace strata::model_spec {

using common::fail;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100ull << 20;  // the reference implementation's limit

struct Dtype {
    std::string_view name;
    size_t size;
};

constexpr Dtype kDtypes[] = {
    {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},     {"I32", 4},
    {"I16", 2}, {"I8", 1},  {"U8", 1},  {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1},
};

// The entry of `field`, its shape and offsets checked on their own.
SafetensorsEntry readEntry(std::string name, simdjson::dom::element field, uint64_t dataBytes,
                           const std::string& where) {
    SafetensorsEntry entry{std::move(name), {}, {}, 0, 0};
    std::string_view dtype;
    simdjson::dom::array shape, offsets;
    if (field["dtype"].get(dtype) || field["shape"].get(shape) ||
        field["data_offsets"].get(offsets))
        fail("{}: tensor '{}' needs dtype, shape and data_offsets", where, entry.name);
    const size_t elementSize = safetensorsElementSize(dtype);
    if (elementSize == 0) fail("{}: tensor '{}' has unknown dtype '{}'", where, entry.name, dtype);
    entry.dtype = std::string(dtype);
    // The element count, and the product of the sizes with zeros counted as ones: a tensor's
    // strides are such products, so both must fit an int64 (a shape [0, 2^62, 2^62] has no
    // elements but no strides either).
    uint64_t numel = 1, strideBound = 1;
    constexpr uint64_t kLimit = uint64_t(std::numeric_limits<int64_t>::max());
    for (simdjson::dom::element size : shape) {
        int64_t value;
        if (size.get(value) || value < 0)
            fail("{}: tensor '{}' has a shape entry that is not a size", where, entry.name);
        if (__builtin_mul_overflow(numel, uint64_t(value), &numel) ||
            __builtin_mul_overflow(strideBound, std::max<uint64_t>(uint64_t(value), 1),
                                   &strideBound) ||
            strideBound > kLimit)
            fail("{}: tensor '{}' has a shape whose size overflows", where, entry.name);
        entry.shape.push_back(value);
    }
    std::vector<uint64_t> bounds;
    for (simdjson::dom::element bound : offsets) {
        uint64_t value;
        if (bound.get(value)) fail("{}: tensor '{}' has invalid data_offsets", where, entry.name);
        bounds.push_back(value);
    }
    if (bounds.size() != 2 || bounds[0] > bounds[1] || bounds[1] > dataBytes)
        fail("{}: tensor '{}' has data_offsets outside the {} bytes of data", where, entry.name,
             dataBytes);
    entry.begin = bounds[0];
    entry.end = bounds[1];
    uint64_t expected;
    if (__builtin_mul_overflow(numel, uint64_t(elementSize), &expected) ||
        entry.end - entry.begin != expected)
        fail("{}: tensor '{}' spans {} bytes, its dtype and shape need {}", where, entry.name,
             entry.end - entry.begin, expected);
    return entry;
}

}  // namespace

size_t safetensorsElementSize(std::string_view dtype) {
    for (const Dtype& known : kDtypes)
        if (known.name == dtype) return known.size;
    return 0;
}

SafetensorsHeader parseSafetensorsHeader(std::string_view file, const std::string& where) {
    if (file.size() < 8)
        fail("{}: not a safetensors file (shorter than its 8-byte header length)", where);
    uint64_t headerLength;
    std::memcpy(&headerLength, file.data(), 8);
    if (headerLength > kMaxHeaderBytes || headerLength > file.size() - 8)
        fail("{}: header length {} does not fit the {}-byte file", where, headerLength,
             file.size());
    SafetensorsHeader header;
    header.dataOffset = 8 + headerLength;
    const uint64_t dataBytes = file.size() - header.dataOffset;

    simdjson::dom::parser parser;
    simdjson::dom::object fields;
    simdjson::padded_string json(file.data() + 8, size_t(headerLength));
    if (parser.parse(json).get(fields)) fail("{}: the header is not a JSON object", where);

    std::set<std::string> names;
    for (auto field : fields) {
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
                header.metadata[std::string(item.key)] = std::string(value);
            }
            continue;
        }
        header.tensors.push_back(readEntry(std::move(name), field.value, dataBytes, where));
    }
    // The data must be covered exactly: sorted by offset, each tensor starts where the last ended.
    std::sort(
        header.tensors.begin(), header.tensors.end(),
        [](const SafetensorsEntry& a, const SafetensorsEntry& b) { return a.begin < b.begin; });
    uint64_t covered = 0;
    for (const SafetensorsEntry& entry : header.tensors) {
        if (entry.begin != covered)
            fail("{}: tensor '{}' {} the one before it", where, entry.name,
                 entry.begin < covered ? "overlaps" : "leaves a gap after");
        covered = entry.end;
    }
    if (covered != dataBytes)
        fail("{}: {} bytes of data after the last tensor", where, dataBytes - covered);
    return header;
}

}  // namespace strata::model_spec
