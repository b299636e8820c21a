// Everything that defines a BPE tokenizer, as plain data: what the trainer produces, what
// tokenizer.json holds, what Tokenizer is built from (and validates). The pipeline parts mirror
// Hugging Face's tokenizer.json sections one to one (normalizer, pre_tokenizer, model,
// post_processor, decoder), limited to what the open model families use.
#pragma once

#include "core/tokenizer/patterns.h"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace strata::tokenizer {

using TokenId = uint32_t;

// A token matched in the text before normalization and pre-tokenization (<|eos|> and friends);
// never produced by merges. Its entry in TokenizerData::tokens holds `content`. The flags are
// Hugging Face's: `normalized` tokens are matched in the normalized text (after the others),
// lstrip/rstrip take the whitespace on that side into the token, single_word matches only
// between non-word characters.
struct AddedToken {
    TokenId id = 0;
    std::string content;
    bool special = true;
    bool normalized = false;
    bool lstrip = false;
    bool rstrip = false;
    bool singleWord = false;
    bool operator==(const AddedToken&) const = default;
};

// How the vocabulary spells tokens. ByteLevel: tokens hold raw bytes, tokenizer.json spells
// them in GPT-2's byte alphabet and BPE starts from bytes. Text: tokens hold the vocabulary's own
// strings (SentencePiece style, "▁the", "<0x0A>") and BPE starts from characters.
enum class VocabSpelling { ByteLevel, Text };

// --- normalizer: applied in order to the text between added tokens.
struct NfcNormalizer {
    bool operator==(const NfcNormalizer&) const = default;
};
struct NfkcNormalizer {
    bool operator==(const NfkcNormalizer&) const = default;
};
struct PrependNormalizer {  // prepends `prepend` to a non-empty text
    std::string prepend;
    bool operator==(const PrependNormalizer&) const = default;
};
struct ReplaceNormalizer {  // every occurrence of the literal `pattern` becomes `content`
    std::string pattern;
    std::string content;
    bool operator==(const ReplaceNormalizer&) const = default;
};
using NormalizerStep =
    std::variant<NfcNormalizer, NfkcNormalizer, PrependNormalizer, ReplaceNormalizer>;

// --- pre_tokenizer: each step splits every piece of the one before.
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
struct SplitStep {
    std::string pattern;
    bool isRegex = true;  // false: a literal string
    SplitBehavior behavior = SplitBehavior::Isolated;
    bool invert = false;
    bool operator==(const SplitStep&) const = default;
};
struct DigitsStep {
    bool individualDigits = false;
    bool operator==(const DigitsStep&) const = default;
};
// Maps bytes to GPT-2's alphabet; with add_prefix_space a piece not starting with ' ' gets one,
// with use_regex the GPT-2 pattern splits first.
struct ByteLevelStep {
    bool addPrefixSpace = false;
    bool useRegex = false;
    bool operator==(const ByteLevelStep&) const = default;
};
enum class PrependScheme { Always, First, Never };
// ' ' becomes `replacement` (▁); the scheme says which pieces get one in front; `split` cuts
// before every replacement character.
struct MetaspaceStep {
    std::string replacement = "\u2581";
    PrependScheme prependScheme = PrependScheme::Always;
    bool split = true;
    bool operator==(const MetaspaceStep&) const = default;
};
using PreTokenizerStep = std::variant<SplitStep, DigitsStep, ByteLevelStep, MetaspaceStep>;

// Strata's own layout: Split(pattern, Isolated)... then ByteLevel without a regex.
std::vector<PreTokenizerStep> byteLevelSplits(const std::vector<std::string>& patterns);

// --- model: BPE options beyond vocab and merges.
struct BpeOptions {
    bool ignoreMerges = false;  // a piece that is itself a token maps to it without merging
    bool byteFallback = false;  // unknown characters become their <0xNN> byte tokens
    std::string unkToken;       // empty: unknown characters are dropped, as Hugging Face does
    bool fuseUnk = false;       // consecutive unknown characters give one unk token
    bool operator==(const BpeOptions&) const = default;
};

// --- post_processor: what add_special_tokens adds around a single sequence.
struct TemplatePiece {
    bool isSequence = true;  // false: the special token `name`
    std::string name;        // "A" for a sequence; the special token's key otherwise
    uint32_t typeId = 0;
    bool operator==(const TemplatePiece&) const = default;
};
struct TemplateSpecial {
    std::string name;
    std::vector<TokenId> ids;
    std::vector<std::string> tokens;
    bool operator==(const TemplateSpecial&) const = default;
};
struct TemplateProcessor {
    std::vector<TemplatePiece> single;
    std::vector<TemplatePiece> pair;
    std::vector<TemplateSpecial> specialTokens;
    bool operator==(const TemplateProcessor&) const = default;
};
struct ByteLevelProcessor {  // only trims offsets: ids are unchanged
    bool trimOffsets = true;
    bool operator==(const ByteLevelProcessor&) const = default;
};
using PostProcessorStep = std::variant<ByteLevelProcessor, TemplateProcessor>;

// --- decoder: tokens back to text, as Hugging Face's decode(ids, skip_special_tokens=False).
struct ByteLevelDecoder {
    bool operator==(const ByteLevelDecoder&) const = default;
};
struct ReplaceDecoder {
    std::string pattern;
    std::string content;
    bool operator==(const ReplaceDecoder&) const = default;
};
struct ByteFallbackDecoder {
    bool operator==(const ByteFallbackDecoder&) const = default;
};
struct FuseDecoder {
    bool operator==(const FuseDecoder&) const = default;
};
struct StripDecoder {
    std::string content = " ";  // one character
    uint32_t start = 0;
    uint32_t stop = 0;
    bool operator==(const StripDecoder&) const = default;
};
struct MetaspaceDecoder {
    std::string replacement = "\u2581";
    PrependScheme prependScheme = PrependScheme::Always;
    bool split = true;
    bool operator==(const MetaspaceDecoder&) const = default;
};
using DecoderStep = std::variant<ByteLevelDecoder, ReplaceDecoder, ByteFallbackDecoder, FuseDecoder,
                                 StripDecoder, MetaspaceDecoder>;

struct TokenizerData {
    // Every id's token, 0 .. size-1, spelled as `spelling` says. A byte-level vocabulary has a
    // one-byte token for every byte value, or drops the bytes it lacks (without an unk token).
    std::vector<std::string> tokens;
    // Merge rules in rank order: merging tokens[a] and tokens[b] gives the token spelled
    // tokens[a] + tokens[b].
    std::vector<std::pair<TokenId, TokenId>> merges;
    std::vector<AddedToken> addedTokens;
    VocabSpelling spelling = VocabSpelling::ByteLevel;
    std::vector<NormalizerStep> normalizers;
    std::vector<PreTokenizerStep> preTokenizers = byteLevelSplits({std::string(kCl100kPattern)});
    BpeOptions bpe;
    std::vector<PostProcessorStep> postProcessors;
    std::vector<DecoderStep> decoders{ByteLevelDecoder{}};
    // tokenizer_config.json's bos_token, eos_token, pad_token (contents; empty when unknown).
    std::string bosToken;
    std::string eosToken;
    std::string padToken;
};

}  // namespace strata::tokenizer
