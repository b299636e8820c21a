// One JSON document that must be an object (config.json, generation_config.json, a safetensors
// index), parsed with errors that name its file. The object lives in `parser`'s storage: keep the
// parser while the object is read.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::common {

// Throws common::Error "FILE: not valid JSON (why)" or "FILE: not a JSON object".
simdjson::dom::object parseJsonObject(simdjson::dom::parser& parser, std::string_view text,
                                      const std::string& file);

// The same for a file; one that cannot be read is an error naming it.
simdjson::dom::object loadJsonObject(simdjson::dom::parser& parser,
                                     const std::filesystem::path& path);

}  // namespace strata::common
