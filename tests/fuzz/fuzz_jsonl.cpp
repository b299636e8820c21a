// libFuzzer target for the JSONL readers: the generic object reader and the formats built on it
// (prompt sets, SFT examples, preference pairs in both forms, task sets), each given the same
// bytes as a file. Any input must be read or refused with common::Error naming the file and line.
#include "core/common/error.h"
#include "core/common/jsonl_objects.h"
#include "core/data/preference_data.h"
#include "core/data/prompt_set.h"
#include "core/data/sft_examples.h"
#include "core/data/task_set.h"

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

using namespace strata;

namespace {

void refusedOrRead(const std::function<void()>& read) {
    try {
        read();
    } catch (const common::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    refusedOrRead([&] {
        std::istringstream in(text);
        common::forEachJsonlObject(in, "fuzz.jsonl", [](simdjson::dom::object, size_t) {});
    });
    refusedOrRead([&] {
        std::istringstream in(text);
        data::readPromptLines(in, "fuzz.jsonl");
    });
    // The file readers, on a file in memory.
    int fd = ::memfd_create("fuzz.jsonl", MFD_CLOEXEC);
    if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size())) return 0;
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    refusedOrRead([&] { data::readPromptSet(path); });
    refusedOrRead([&] { data::readSftExamples(path); });
    refusedOrRead([&] { data::readPreferences(path); });
    refusedOrRead([&] { data::readPreferenceRecords(path); });
    refusedOrRead([&] { data::readTaskSet(path); });
    ::close(fd);
    return 0;
}
