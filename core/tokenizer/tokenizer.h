// A BPE tokenizer: text -> ids and back, as Hugging Face's tokenizers computes them for the
// families Strata reads (tokenizer_data.h). encode() first finds the added tokens the policy
// allows (added_token_matcher.h), normalizes the text between them (normalizer.h),
// pre-tokenizes it and runs BPE on each piece (bpe_merger.h). Byte-level vocabularies without a
// normalizer and with Isolated regex splits -- Strata's own layout, and Llama 3's, Qwen2's,
// DeepSeek-V3's -- take the fast path: hand-written or PCRE2 splitting (pre_tokenizer.h) and a
// per-thread piece cache (piece_cache.h). Everything else goes through PreTokenizerPipeline.
//
// Invalid UTF-8: every ill-formed byte of the input is replaced by U+FFFD before anything else
// (common::replaceInvalidUtf8), so encode never fails and decode(encode(s)) == s exactly when s
// is valid UTF-8. decode() returns the tokens' bytes as they are, which for an arbitrary id
// sequence may not be valid UTF-8.
//
// The object is immutable after construction and safe to use from any number of threads.
#pragma once

#include "core/tokenizer/added_token_matcher.h"
#include "core/tokenizer/bpe_merger.h"
#include "core/tokenizer/pre_tokenizer.h"
#include "core/tokenizer/pre_tokenizer_pipeline.h"
#include "core/tokenizer/tokenizer_data.h"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::tokenizer {

struct ThreadState;  // encode()'s per-thread cache and scratch (tokenizer.cpp)

// Which added tokens encode() recognizes in the text; the rest is encoded as ordinary text.
struct SpecialPolicy {
    enum class Mode { None, All, Only };
    Mode mode = Mode::None;
    std::vector<std::string> allowed;  // with Mode::Only: the contents allowed

    static SpecialPolicy none() { return {}; }
    static SpecialPolicy all() { return {Mode::All, {}}; }
    static SpecialPolicy only(std::vector<std::string> contents) {
        return {Mode::Only, std::move(contents)};
    }
};

class Tokenizer {
public:
    // Validates `data` (ids dense and unique, every byte present, merges consistent) and builds
    // the tables; throws common::Error with a one-line description of the first problem.
    explicit Tokenizer(TokenizerData data);

    const TokenizerData& data() const { return m_data; }
    size_t vocabSize() const { return m_data.tokens.size(); }
    // Whether encode() takes the fast byte-level path, and its splitter there.
    bool isFastPath() const { return m_fastPath; }
    const PreTokenizer& preTokenizer() const { return m_preTokenizer; }

    // Appends the ids of `text` to `out`: Hugging Face's encode(text, add_special_tokens=False)
    // with SpecialPolicy::all(). Throws common::Error when a policy names a token that is not
    // an added token of this tokenizer.
    void encode(std::string_view text, const SpecialPolicy& policy,
                std::vector<TokenId>& out) const;
    std::vector<TokenId> encode(std::string_view text,
                                const SpecialPolicy& policy = SpecialPolicy::none()) const;
    // Encodes many texts on all cores (TBB); result i belongs to texts[i].
    std::vector<std::vector<TokenId>> encodeBatch(
        std::span<const std::string_view> texts,
        const SpecialPolicy& policy = SpecialPolicy::none()) const;
    // What add_special_tokens=True adds: the post-processor's template for one sequence
    // around `ids` (unchanged without a TemplateProcessing).
    std::vector<TokenId> addSpecialTokens(std::span<const TokenId> ids) const;
    // BPE of one pre-token, without the cache (tests compare it with reference_bpe.h).
    void encodePiece(std::string_view piece, std::vector<TokenId>& out) const;

    // The bytes the ids stand for, concatenated with no cleanup (streaming output joins these
    // token by token): a byte-level token's bytes, a text token with its ▁ as spaces and <0xNN>
    // as the byte, an added token's content. Throws common::Error naming an id out of range.
    std::string decode(std::span<const TokenId> ids) const;
    // Hugging Face's decode(ids, skip_special_tokens=False): the decoder over the token
    // strings, invalid UTF-8 replaced. Throws common::Error naming an id out of range.
    std::string decodeText(std::span<const TokenId> ids) const;

    // The token as the vocabulary holds it: bytes for a byte-level vocabulary, the vocabulary's
    // text ("▁the", "<0x0A>") otherwise, the content of an added token.
    std::string_view tokenBytes(TokenId id) const { return m_data.tokens[id]; }
    bool isAdded(TokenId id) const { return m_isAdded[id]; }
    // The id of the ordinary (non-added) token `bytes` (as tokenBytes spells it), if any.
    std::optional<TokenId> findToken(std::string_view bytes) const;
    std::optional<TokenId> findAddedToken(std::string_view content) const;

private:
    // The added tokens a policy allows, split by where they are matched.
    struct Matchers {
        AddedTokenMatcher raw;         // non-normalized tokens, in the text as given
        AddedTokenMatcher normalized;  // normalized tokens, in the normalized text
    };
    Matchers buildMatchers(const std::vector<AddedToken>& tokens) const;
    void encodeWith(std::string_view text, const Matchers* matchers,
                    std::vector<TokenId>& out) const;
    // Text between raw-matched added tokens: normalize, match normalized tokens, pre-tokenize.
    void encodeSegment(std::string_view segment, bool atStart, const Matchers* matchers,
                       std::vector<TokenId>& out) const;
    void encodePieces(std::string_view text, bool atStart, std::vector<TokenId>& out) const;
    void encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const;
    void encodeBytePiece(std::string_view piece, ThreadState& state,
                         std::vector<TokenId>& out) const;
    void encodeTextPiece(std::string_view piece, std::vector<TokenId>& out) const;
    void checkId(TokenId id) const;
    // What an added token decodes to: its content, normalized when it is matched normalized.
    const std::string& addedText(TokenId id) const;

    TokenizerData m_data;
    bool m_fastPath = false;
    bool m_missingBytes = false;  // byte-level: some bytes have no token and are dropped
    PreTokenizer m_preTokenizer;
    std::optional<PreTokenizerPipeline> m_pipeline;  // when not on the fast path
    BpeMerger m_merger;
    std::vector<bool> m_isAdded;
    std::unordered_map<std::string, TokenId> m_tokenIds;   // ordinary tokens by their bytes
    std::vector<std::pair<std::string, TokenId>> m_added;  // content -> id
    // Normalized added tokens decode to their normalized content, as Hugging Face keeps them.
    std::unordered_map<TokenId, std::string> m_normalizedAdded;
    Matchers m_allMatchers;
    // Text vocabularies: the <0xNN> ids (kNoToken where absent), the unk id, stream bytes.
    static constexpr TokenId kNoToken = ~TokenId(0);
    std::array<TokenId, 256> m_fallbackIds{};
    TokenId m_unkId = kNoToken;
    std::vector<std::string> m_streamBytes;
    uint64_t m_serial;  // tells per-thread caches which tokenizer they hold
};

}  // namespace strata::tokenizer
