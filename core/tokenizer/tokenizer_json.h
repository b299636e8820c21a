// Hugging Face tokenizer.json for byte-level BPE, both ways.
//
// Reads: model BPE (vocab, merges as [["a","b"], ...] or legacy "a b" strings, ignore_merges),
// added_tokens, pre_tokenizer ByteLevel (add_prefix_space false; use_regex true means the GPT-2
// pattern) or Sequence[Split(Regex, Isolated, invert false)..., ByteLevel(add_prefix_space
// false)], decoder ByteLevel or null, normalizer null, post_processor null or ByteLevel.
// Anything else, and every inconsistency (bad JSON, unknown model type, a merge naming a token
// the vocab lacks, repeated ids, id gaps, entries of the wrong type), is a common::Error whose
// one-line message starts with the file name.
//
// Writes the layout newer models use: Sequence[Split(pattern, Isolated), ByteLevel(use_regex
// false)], decoder ByteLevel, merges as pairs; added tokens appear both in added_tokens and in
// the model vocab (under their own text), as Hugging Face's trainer writes them. Saving is
// atomic (common::AtomicFile).
#pragma once

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/tokenizer_data.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace strata::tokenizer {

// `name` is what error messages call the source (usually its path).
TokenizerData parseTokenizerJson(std::string_view json, std::string_view name);
TokenizerData readTokenizerJson(const std::filesystem::path& path);
// Reads and validates into a ready Tokenizer; validation errors also name the file.
Tokenizer loadTokenizer(const std::filesystem::path& path);

// XXH3 of the file's bytes as 16 hex digits: shard sets and checkpoints record it, so data or a
// model is never paired with a tokenizer it was not made with.
std::string tokenizerFingerprint(const std::filesystem::path& path);

std::string formatTokenizerJson(const TokenizerData& data);
void saveTokenizerJson(const TokenizerData& data, const std::filesystem::path& path);

}  // namespace strata::tokenizer
