// A byte-level BPE tokenizer: text -> ids and back. encode() first finds the added (special)
// tokens the policy allows, pre-tokenizes the text between them (pre_tokenizer.h) and runs BPE
// on each piece (bpe_merger.h) through a per-thread piece cache (piece_cache.h).
//
// Invalid UTF-8: every ill-formed byte of the input is replaced by U+FFFD before anything else
// (common::replaceInvalidUtf8), so encode never fails and decode(encode(s)) == s exactly when s
// is valid UTF-8. decode() returns the tokens' bytes as they are, which for an arbitrary id
// sequence may not be valid UTF-8.
//
// The object is immutable after construction and safe to use from any number of threads.
#pragma once

#include "core/tokenizer/bpe_merger.h"
#include "core/tokenizer/pre_tokenizer.h"
#include "core/tokenizer/tokenizer_data.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::tokenizer {

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
    const PreTokenizer& preTokenizer() const { return m_preTokenizer; }

    // Appends the ids of `text` to `out`. Throws common::Error when a policy names a token that
    // is not an added token of this tokenizer.
    void encode(std::string_view text, const SpecialPolicy& policy,
                std::vector<TokenId>& out) const;
    std::vector<TokenId> encode(std::string_view text,
                                const SpecialPolicy& policy = SpecialPolicy::none()) const;
    // Encodes many texts on all cores (TBB); result i belongs to texts[i].
    std::vector<std::vector<TokenId>> encodeBatch(
        std::span<const std::string_view> texts,
        const SpecialPolicy& policy = SpecialPolicy::none()) const;
    // BPE of one pre-token, without the cache (tests compare it with reference_bpe.h).
    void encodePiece(std::string_view piece, std::vector<TokenId>& out) const;

    // Concatenated bytes of the ids; throws common::Error naming the first id out of range.
    std::string decode(std::span<const TokenId> ids) const;

    std::string_view tokenBytes(TokenId id) const { return m_data.tokens[id]; }
    bool isAdded(TokenId id) const { return m_isAdded[id]; }
    // The id of the ordinary (non-added) token spelled `bytes`, if any.
    std::optional<TokenId> findToken(std::string_view bytes) const;
    std::optional<TokenId> findAddedToken(std::string_view content) const;

private:
    struct Special {
        std::string content;
        TokenId id;
    };
    void encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const;
    void encodeWithSpecials(std::string_view text, const std::vector<Special>& specials,
                            std::vector<TokenId>& out) const;

    TokenizerData m_data;
    PreTokenizer m_preTokenizer;
    BpeMerger m_merger;
    std::vector<bool> m_isAdded;
    std::unordered_map<std::string, TokenId> m_tokenIds;  // ordinary tokens by their bytes
    std::vector<Special> m_specials;                      // all added tokens, longest first
    uint64_t m_serial;  // tells per-thread caches which tokenizer they hold
};

}  // namespace strata::tokenizer
