// The decoder of a tokenizer.json: token strings back to text, step by step over the list of
// tokens as Hugging Face's decode_chain does (ByteLevel, Replace, ByteFallback, Fuse, Strip,
// Metaspace; no decoder joins tokens with spaces).
#pragma once

#include "core/tokenizer/tokenizer_data.h"

#include <string>
#include <vector>

namespace strata::tokenizer {

// Hugging Face's decode of these token strings (vocabulary spellings; added tokens as their
// content). Invalid UTF-8 comes out replaced, as Hugging Face's lossy conversion does.
std::string decodeTokens(const std::vector<DecoderStep>& steps, std::vector<std::string> tokens);

// The one-token part of the steps, without anything that looks at neighbours (ByteFallback's
// grouping, Strip, Metaspace's first-token rule, lossy UTF-8): what a token stands for in a
// stream of bytes. Byte tokens <0xNN> become their byte.
std::string tokenStreamBytes(const std::vector<DecoderStep>& steps, std::string token);

}  // namespace strata::tokenizer
