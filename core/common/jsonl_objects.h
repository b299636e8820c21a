// Reads a JSONL file object by object: blank lines are skipped, and a line that is not a JSON
// object is a common::Error naming the file and line. Readers of the formats built on JSONL
// (prompt sets, SFT conversations, preference pairs, task sets) check their own fields.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>

namespace strata::common {

using JsonlVisitor = std::function<void(simdjson::dom::object object, size_t line)>;

void forEachJsonlObject(std::istream& in, const std::string& name, const JsonlVisitor& visit);
// Throws common::Error when the file cannot be read.
void forEachJsonlObject(const std::filesystem::path& path, const JsonlVisitor& visit);

}  // namespace strata::common
