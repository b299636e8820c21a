// The pre-tokenization regexes Strata knows by heart. The pre-tokenizer recognizes these exact
// strings (as they appear in a tokenizer.json Split) and runs its hand-written matchers for them;
// any other pattern goes through PCRE2.
#pragma once

#include <string_view>

namespace strata::tokenizer {

// GPT-4's cl100k pattern in the form Hugging Face tokenizers and tiktoken both accept. Strata
// trains with it and writes it into every tokenizer.json it saves.
inline constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// GPT-2's pattern: what a ByteLevel pre-tokenizer with use_regex true applies.
inline constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace strata::tokenizer
