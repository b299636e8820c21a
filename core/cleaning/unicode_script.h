// Which writing system a letter belongs to, by Unicode block: enough to tell the script filter
// "mostly Latin" from "mostly Cyrillic" or "mostly Han", and to make word splitting CJK-aware. Not
// a full Unicode Script property table: rare scripts count as Other.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace strata::cleaning {

enum class Script : uint8_t {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Thai,
    Georgian,
    Hangul,
    Han,
    Hiragana,
    Katakana,
    Other,
};
inline constexpr size_t kNumScripts = size_t(Script::Other) + 1;

// The script of `cp`, assumed to be a letter.
Script scriptOf(char32_t cp);

// Han, Hiragana and Katakana: written without spaces, so each character is its own word.
inline bool isCjkScript(Script script) {
    return script == Script::Han || script == Script::Hiragana || script == Script::Katakana;
}

// Lower-case names as the config spells them: "latin", "cyrillic", "han", ...
std::string_view scriptName(Script script);
std::optional<Script> scriptFromName(std::string_view name);

}  // namespace strata::cleaning
