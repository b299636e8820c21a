#include "core/cleaning/sample_sources.h"

#include "core/common/atomic_file.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace strata::cleaning {

namespace fs = std::filesystem;
using common::fail;

namespace {

std::string trim(std::string_view text) {
    size_t begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return {};
    size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(begin, end - begin + 1));
}

bool isFortuneCollection(const fs::path& path) {
    // Each collection has a strfile index beside it; .u8 files are encodings of others.
    std::string extension = path.extension().string();
    return fs::is_regular_file(path) && extension != ".dat" && extension != ".u8" &&
           fs::exists(path.string() + ".dat");
}

}  // namespace

std::vector<std::string> parseFortunes(std::string_view fileText) {
    std::vector<std::string> entries;
    std::istringstream lines{std::string(fileText)};
    std::string line, entry;
    auto flush = [&] {
        std::string text = trim(entry);
        if (!text.empty()) entries.push_back(std::move(text));
        entry.clear();
    };
    while (std::getline(lines, line)) {
        if (line == "%") {
            flush();
        } else {
            entry += line;
            entry += '\n';
        }
    }
    flush();
    return entries;
}

SampleSources collectSampleSources(const fs::path& rawDir, const fs::path& fortuneDir,
                                   const fs::path& htmlDir) {
    if (!fs::is_directory(fortuneDir))
        fail("{}: no fortune collections (install the Debian packages fortunes and fortunes-zh)",
             fortuneDir.string());
    if (!fs::is_directory(htmlDir))
        fail("{}: no HTML documentation (install the Debian package python3-doc)",
             htmlDir.string());

    std::vector<fs::path> collections;
    for (const auto& entry : fs::directory_iterator(fortuneDir))
        if (isFortuneCollection(entry.path())) collections.push_back(entry.path());
    std::sort(collections.begin(), collections.end());

    SampleSources sources;
    fs::create_directories(rawDir);
    fs::path fortunesPath = rawDir / "fortunes.jsonl";
    common::AtomicFile out(fortunesPath);
    for (const fs::path& collection : collections) {
        std::ifstream in(collection, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        for (const std::string& fortune : parseFortunes(text)) {
            common::JsonWriter json;
            json.beginObject()
                .key("text")
                .value(fortune)
                .key("collection")
                .value(collection.filename().string())
                .endObject();
            out.write(json.str());
            out.write("\n");
            sources.fortunes += 1;
        }
    }
    out.commit();
    if (sources.fortunes == 0) fail("{}: no fortunes found", fortuneDir.string());
    sources.inputs.push_back(fortunesPath);

    for (const auto& entry : fs::recursive_directory_iterator(htmlDir))
        if (entry.is_regular_file() && entry.path().extension() == ".html") sources.htmlFiles += 1;
    if (sources.htmlFiles == 0) fail("{}: no HTML pages found", htmlDir.string());
    sources.inputs.push_back(htmlDir);
    return sources;
}

}  // namespace strata::cleaning
