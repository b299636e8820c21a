// The built-in sample corpus of `strata-cli demo data` and the studio's sample workspace, made
// from text Debian ships: the fortune collections (English, and Chinese from fortunes-zh) and
// Python's HTML documentation (python3-doc). scripts/bootstrap installs all three.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cleaning {

// Splits a fortune file into its entries (separated by lines holding only "%"), dropping empty
// entries. The text is kept as the collection has it, terminal colour escapes included (most of
// fortunes-zh is coloured): removing them is the cleaning's terminal_escapes stage.
std::vector<std::string> parseFortunes(std::string_view fileText);

struct SampleSources {
    std::vector<std::filesystem::path>
        inputs;  // for DocumentReader: fortunes.jsonl, the HTML folder
    uint64_t fortunes = 0;
    uint64_t htmlFiles = 0;
};

// Converts every fortune collection under fortuneDir into rawDir/fortunes.jsonl and counts the
// HTML pages under htmlDir. Throws common::Error naming what is missing (and the package).
SampleSources collectSampleSources(
    const std::filesystem::path& rawDir,
    const std::filesystem::path& fortuneDir = "/usr/share/games/fortunes",
    const std::filesystem::path& htmlDir = "/usr/share/doc/python3.11/html");

}  // namespace strata::cleaning
