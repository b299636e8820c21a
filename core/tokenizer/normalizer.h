// The normalizer of a tokenizer.json (NFC, NFKC, Prepend, Replace of a literal, in sequence),
// applied to the text between added tokens before pre-tokenization. Unicode forms come from
// utf8proc (Unicode 13; see tokenizer.md for what that means for newer characters).
#pragma once

#include "core/tokenizer/tokenizer_data.h"

#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

// `text` after every step in order; expects valid UTF-8.
std::string normalize(const std::vector<NormalizerStep>& steps, std::string_view text);

}  // namespace strata::tokenizer
