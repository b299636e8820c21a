#include "core/common/jsonl_objects.h"

#include "core/common/error.h"

#include <fstream>

namespace strata::common {

void forEachJsonlObject(std::istream& in, const std::string& name, const JsonlVisitor& visit) {
    simdjson::dom::parser parser;
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        simdjson::dom::object object;
        if (parser.parse(simdjson::padded_string(line)).get(object))
            fail("{}:{}: not a JSON object", name, number);
        visit(object, number);
    }
}

void forEachJsonlObject(const std::filesystem::path& path, const JsonlVisitor& visit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("{}: cannot be read", path.string());
    forEachJsonlObject(in, path.string(), visit);
}

}  // namespace strata::common
