#include "core/cleaning/unicode_script.h"

namespace strata::cleaning {

namespace {

struct Range {
    char32_t first;
    char32_t last;
    Script script;
};

// Sorted, non-overlapping block ranges.
constexpr Range kRanges[] = {
    {0x0041, 0x024F, Script::Latin},    {0x0370, 0x03FF, Script::Greek},
    {0x0400, 0x052F, Script::Cyrillic}, {0x0530, 0x058F, Script::Armenian},
    {0x0590, 0x05FF, Script::Hebrew},   {0x0600, 0x06FF, Script::Arabic},
    {0x0750, 0x077F, Script::Arabic},   {0x0900, 0x097F, Script::Devanagari},
    {0x0980, 0x09FF, Script::Bengali},  {0x0E00, 0x0E7F, Script::Thai},
    {0x10A0, 0x10FF, Script::Georgian}, {0x1100, 0x11FF, Script::Hangul},
    {0x1C80, 0x1C8F, Script::Cyrillic}, {0x1E00, 0x1EFF, Script::Latin},
    {0x1F00, 0x1FFF, Script::Greek},    {0x2C60, 0x2C7F, Script::Latin},
    {0x2DE0, 0x2DFF, Script::Cyrillic}, {0x2E80, 0x2FDF, Script::Han},
    {0x3005, 0x3007, Script::Han},      {0x3040, 0x309F, Script::Hiragana},
    {0x30A0, 0x30FF, Script::Katakana}, {0x3130, 0x318F, Script::Hangul},
    {0x31F0, 0x31FF, Script::Katakana}, {0x3400, 0x4DBF, Script::Han},
    {0x4E00, 0x9FFF, Script::Han},      {0xA640, 0xA69F, Script::Cyrillic},
    {0xA720, 0xA7FF, Script::Latin},    {0xAC00, 0xD7AF, Script::Hangul},
    {0xF900, 0xFAFF, Script::Han},      {0xFB1D, 0xFB4F, Script::Hebrew},
    {0xFB50, 0xFDFF, Script::Arabic},   {0xFE70, 0xFEFF, Script::Arabic},
    {0xFF21, 0xFF5A, Script::Latin},    {0xFF66, 0xFF9F, Script::Katakana},
    {0x20000, 0x3134F, Script::Han},
};

constexpr std::string_view kNames[kNumScripts] = {
    "latin", "greek",    "cyrillic", "armenian", "hebrew",   "arabic",   "devanagari", "bengali",
    "thai",  "georgian", "hangul",   "han",      "hiragana", "katakana", "other"};

}  // namespace

Script scriptOf(char32_t cp) {
    if (cp < 0x80) return Script::Latin;
    size_t low = 0;
    size_t high = std::size(kRanges);
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (kRanges[mid].last < cp) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    if (low < std::size(kRanges) && kRanges[low].first <= cp) return kRanges[low].script;
    return Script::Other;
}

std::string_view scriptName(Script script) {
    return kNames[size_t(script)];
}

std::optional<Script> scriptFromName(std::string_view name) {
    for (size_t i = 0; i < kNumScripts; ++i)
        if (kNames[i] == name) return Script(i);
    return std::nullopt;
}

}  // namespace strata::cleaning
