#include "core/cleaning/word_blocklist.h"

#include "core/common/error.h"

#include <xxhash.h>

#include <fstream>

namespace strata::cleaning {

namespace {

bool isAsciiPunctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

}  // namespace

uint64_t WordBlocklist::foldedHash(std::string_view word) {
    while (!word.empty() && isAsciiPunctuation(word.front()))
        word.remove_prefix(1);
    while (!word.empty() && isAsciiPunctuation(word.back()))
        word.remove_suffix(1);
    char buffer[256];
    if (word.size() > sizeof buffer) return XXH3_64bits(word.data(), word.size());
    for (size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        buffer[i] = c >= 'A' && c <= 'Z' ? char(c + 32) : c;
    }
    return XXH3_64bits(buffer, word.size());
}

WordBlocklist WordBlocklist::fromFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) common::fail("{}: cannot read blocklist: no such file", path.string());
    std::vector<std::string> words;
    std::string line;
    while (std::getline(in, line)) {
        size_t hash = line.find('#');
        if (hash != std::string::npos) line.resize(hash);
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos) continue;
        words.push_back(line.substr(start));
    }
    return fromWords(words);
}

WordBlocklist WordBlocklist::fromWords(const std::vector<std::string>& words) {
    WordBlocklist list;
    for (const std::string& word : words)
        list.m_hashes.insert(foldedHash(word));
    return list;
}

bool WordBlocklist::contains(std::string_view word) const {
    return m_hashes.count(foldedHash(word)) > 0;
}

uint64_t WordBlocklist::countHits(const TextProfile& profile, uint64_t stopAt) const {
    uint64_t hits = 0;
    for (TextSpan span : profile.words()) {
        if (m_hashes.count(foldedHash(profile.slice(span))) && ++hits >= stopAt) break;
    }
    return hits;
}

RejectReason WordBlocklist::check(const TextProfile& profile, int64_t minHits) const {
    if (empty()) return RejectReason::Kept;
    return countHits(profile, uint64_t(minHits)) >= uint64_t(minHits) ? RejectReason::Blocklist
                                                                      : RejectReason::Kept;
}

}  // namespace strata::cleaning
