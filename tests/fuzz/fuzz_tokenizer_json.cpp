// libFuzzer target for tokenizer.json, a file users import from anywhere: any bytes must either
// parse into a tokenizer or throw common::Error (never crash, hang, allocate without bound or
// trip a sanitizer), and a tokenizer that parses must encode and decode a text.
#include "core/common/error.h"
#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/tokenizer_json.h"

#include <cstdint>
#include <string_view>

using namespace strata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view json(reinterpret_cast<const char*>(data), size);
    try {
        tokenizer::Tokenizer parsed(tokenizer::parseTokenizerJson(json, "fuzz.json"));
        parsed.decode(parsed.encode("Hello, world 123 \xe4\xb8\x96\xe7\x95\x8c"));
    } catch (const common::Error&) {
    }
    return 0;
}
