// Hugging Face tokenizer.json (and a model folder's tokenizer_config.json), both ways.
//
// Reads what the open families write (tokenizer_data.h lists the parts): normalizer NFC, NFKC,
// Prepend, Replace (String), Sequence or null; pre_tokenizer Split (Regex or String, every
// behavior, invert), Digits, ByteLevel, Metaspace, Sequence or null; model BPE with
// ignore_merges, byte_fallback, unk_token, fuse_unk (merges as [["a","b"], ...] or "a b");
// added_tokens with their flags; post_processor TemplateProcessing, ByteLevel, Sequence or null;
// decoder ByteLevel, Replace (String), ByteFallback, Fuse, Strip, Metaspace, Sequence or null.
// A ByteLevel pre-tokenizer makes the vocabulary byte-level; without one tokens are read as the
// vocabulary spells them. Anything else, and every inconsistency (bad JSON, a merge naming a
// token the vocab lacks, repeated ids, id gaps, entries of the wrong type), is a common::Error
// whose one-line message starts with the file name and gives the JSON path
// ("tokenizer.json: pre_tokenizer.pretokenizers[1].type 'Whitespace' is not supported").
//
// Writes every part back in the same form, so a file read here saves to a file Hugging Face
// reads to the same ids. Strata's own tokenizers come out as they always have:
// Sequence[Split(pattern, Isolated), ByteLevel(use_regex false)], decoder ByteLevel, merges as
// pairs, added tokens both in added_tokens and in the model vocab. Saving is atomic
// (common::AtomicFile).
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
// A tokenizer.json, or a model folder: its tokenizer.json plus, when present,
// tokenizer_config.json's bos/eos/pad tokens.
TokenizerData readTokenizer(const std::filesystem::path& fileOrFolder);
// Sets data's bos/eos/pad tokens from the folder's tokenizer_config.json, when it has one.
void readTokenizerConfig(const std::filesystem::path& folder, TokenizerData& data);
// readTokenizer, validated into a ready Tokenizer; validation errors also name the path.
Tokenizer loadTokenizer(const std::filesystem::path& fileOrFolder);

// XXH3 of the file's bytes as 16 hex digits: shard sets and checkpoints record it, so data or a
// model is never paired with a tokenizer it was not made with.
std::string tokenizerFingerprint(const std::filesystem::path& path);

std::string formatTokenizerJson(const TokenizerData& data);
void saveTokenizerJson(const TokenizerData& data, const std::filesystem::path& path);

}  // namespace strata::tokenizer
