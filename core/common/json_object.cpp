#include "core/common/json_object.h"

#include "core/common/error.h"

namespace strata::common {

simdjson::dom::object parseJsonObject(simdjson::dom::parser& parser, std::string_view text,
                                      const std::string& file) {
    simdjson::padded_string padded(text);
    simdjson::dom::element root;
    if (auto error = parser.parse(padded).get(root))
        fail("{}: not valid JSON ({})", file, simdjson::error_message(error));
    simdjson::dom::object object;
    if (root.get(object)) fail("{}: not a JSON object", file);
    return object;
}

simdjson::dom::object loadJsonObject(simdjson::dom::parser& parser,
                                     const std::filesystem::path& path) {
    std::string file = path.string();
    simdjson::padded_string text;
    if (simdjson::padded_string::load(file).get(text)) fail("{}: cannot read the file", file);
    return parseJsonObject(parser, std::string_view(text.data(), text.size()), file);
}

}  // namespace strata::common
