// Tokenizer: validation of TokenizerData, the encode pipeline, post-processing and decode.
#include "core/tokenizer/tokenizer.h"

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/decoder.h"
#include "core/tokenizer/normalizer.h"
#include "core/tokenizer/piece_cache.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <atomic>

namespace strata::tokenizer {

namespace {
constexpr size_t kCacheSlots = 1 << 15;
std::atomic<uint64_t> g_nextSerial{1};
}  // namespace

// The working memory of encode() on one thread; it follows the last tokenizer used there.
struct ThreadState {
    uint64_t owner = 0;
    PieceCache cache{kCacheSlots};
    BpeMerger::Scratch scratch;
    std::vector<TokenId> initial;  // a text piece's first ids, before merging
};

namespace {

ThreadState& threadState(uint64_t owner) {
    thread_local ThreadState state;
    if (state.owner != owner) {
        state.cache.clear();
        state.owner = owner;
    }
    return state;
}

// Strata's own layout and the byte-level families': Isolated regex splits, then ByteLevel that
// only maps bytes (its GPT-2 regex counts as one more split). Returns the patterns, or nothing
// when the steps need the general pipeline.
std::optional<std::vector<std::string>> fastPatterns(const TokenizerData& data) {
    if (data.spelling != VocabSpelling::ByteLevel || !data.normalizers.empty() ||
        data.preTokenizers.empty())
        return std::nullopt;
    std::vector<std::string> patterns;
    for (size_t i = 0; i + 1 < data.preTokenizers.size(); ++i) {
        const auto* split = std::get_if<SplitStep>(&data.preTokenizers[i]);
        if (!split || !split->isRegex || split->invert ||
            split->behavior != SplitBehavior::Isolated)
            return std::nullopt;
        patterns.push_back(split->pattern);
    }
    const auto* byteLevel = std::get_if<ByteLevelStep>(&data.preTokenizers.back());
    if (!byteLevel || byteLevel->addPrefixSpace) return std::nullopt;
    if (byteLevel->useRegex) patterns.emplace_back(kGpt2Pattern);
    return patterns;
}

size_t utf8Length(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

std::vector<PreTokenizerStep> byteLevelSplits(const std::vector<std::string>& patterns) {
    std::vector<PreTokenizerStep> steps;
    for (const std::string& pattern : patterns)
        steps.push_back(SplitStep{pattern, true, SplitBehavior::Isolated, false});
    steps.push_back(ByteLevelStep{});
    return steps;
}

Tokenizer::Tokenizer(TokenizerData data)
    : m_data(std::move(data)),
      m_preTokenizer(fastPatterns(m_data).value_or(std::vector<std::string>{})),
      m_serial(g_nextSerial.fetch_add(1)) {
    const auto& tokens = m_data.tokens;
    const size_t size = tokens.size();
    const bool byteLevel = m_data.spelling == VocabSpelling::ByteLevel;
    m_fastPath = fastPatterns(m_data).has_value();
    if (!m_fastPath) m_pipeline.emplace(m_data.preTokenizers);
    if (byteLevel && size < 256)
        common::fail("vocabulary has {} tokens; byte-level BPE needs at least 256", size);
    if (size >= (size_t(1) << 31)) common::fail("vocabulary has {} tokens, too many", size);

    m_isAdded.assign(size, false);
    for (const AddedToken& added : m_data.addedTokens) {
        if (added.id >= size)
            common::fail("added token '{}' has id {}, outside the vocabulary of {} tokens",
                         added.content, added.id, size);
        if (m_isAdded[added.id]) common::fail("two added tokens have id {}", added.id);
        if (added.content.empty()) common::fail("added token {} is empty", added.id);
        if (tokens[added.id] != added.content)
            common::fail("token {} is '{}' but added token {} says '{}'", added.id,
                         tokens[added.id], added.id, added.content);
        m_isAdded[added.id] = true;
        m_added.emplace_back(added.content, added.id);
        if (added.normalized && !m_data.normalizers.empty())
            m_normalizedAdded.emplace(added.id, normalize(m_data.normalizers, added.content));
    }
    m_allMatchers = buildMatchers(m_data.addedTokens);

    m_tokenIds.reserve(size);
    for (TokenId id = 0; id < size; ++id) {
        if (m_isAdded[id]) continue;
        if (tokens[id].empty()) common::fail("token {} is empty", id);
        auto [it, inserted] = m_tokenIds.emplace(tokens[id], id);
        if (!inserted) common::fail("tokens {} and {} have the same bytes", it->second, id);
    }

    if (!m_data.bpe.unkToken.empty()) {
        std::optional<TokenId> unk = findToken(m_data.bpe.unkToken);
        if (!unk) unk = findAddedToken(m_data.bpe.unkToken);
        if (!unk) common::fail("unk_token '{}' is not in the vocabulary", m_data.bpe.unkToken);
        m_unkId = *unk;
    }
    std::array<TokenId, 256> byteIds{};
    if (byteLevel) {
        for (int b = 0; b < 256; ++b) {
            auto it = m_tokenIds.find(std::string(1, char(b)));
            // Hugging Face's BPE drops a character it has no token for when there is no unk
            // token (SmolLM2's vocabulary lacks some control bytes); so do we.
            if (it == m_tokenIds.end() && m_unkId != kNoToken)
                common::fail("no token for the byte 0x{:02X}", b);
            byteIds[b] = it == m_tokenIds.end() ? kNoToken : it->second;
            m_missingBytes = m_missingBytes || it == m_tokenIds.end();
        }
    } else {
        m_fallbackIds.fill(kNoToken);
        if (m_data.bpe.byteFallback)
            for (int b = 0; b < 256; ++b)
                if (auto id = findToken(fmt::format("<0x{:02X}>", b))) m_fallbackIds[b] = *id;
        m_streamBytes.resize(size);
        for (TokenId id = 0; id < size; ++id)
            m_streamBytes[id] =
                m_isAdded[id] ? addedText(id) : tokenStreamBytes(m_data.decoders, tokens[id]);
    }

    std::vector<TokenId> mergedIds;
    mergedIds.reserve(m_data.merges.size());
    U64Map<uint32_t> seen(m_data.merges.size());
    for (size_t rank = 0; rank < m_data.merges.size(); ++rank) {
        auto [left, right] = m_data.merges[rank];
        if (left >= size || right >= size || m_isAdded[left] || m_isAdded[right])
            common::fail("merge {} refers to id {} which is not an ordinary token", rank,
                         left >= size || m_isAdded[left] ? left : right);
        auto it = m_tokenIds.find(tokens[left] + tokens[right]);
        if (it == m_tokenIds.end())
            common::fail("merge {} makes a token that is not in the vocabulary", rank);
        uint32_t& first = seen[packPair(left, right)];
        if (first != 0) common::fail("merge {} repeats merge {}", rank, first - 1);
        first = uint32_t(rank + 1);
        mergedIds.push_back(it->second);
    }
    m_merger = BpeMerger(byteIds, m_data.merges, mergedIds);
}

Tokenizer::Matchers Tokenizer::buildMatchers(const std::vector<AddedToken>& tokens) const {
    std::vector<AddedToken> raw, normalized;
    std::vector<std::string> rawPatterns, normalizedPatterns;
    for (const AddedToken& token : tokens) {
        if (token.normalized && !m_data.normalizers.empty()) {
            normalized.push_back(token);
            normalizedPatterns.push_back(normalize(m_data.normalizers, token.content));
        } else if (token.normalized) {
            // Without a normalizer the normalized text is the text itself.
            normalized.push_back(token);
            normalizedPatterns.push_back(token.content);
        } else {
            raw.push_back(token);
            rawPatterns.push_back(token.content);
        }
    }
    return {AddedTokenMatcher(raw, rawPatterns), AddedTokenMatcher(normalized, normalizedPatterns)};
}

std::optional<TokenId> Tokenizer::findToken(std::string_view bytes) const {
    auto it = m_tokenIds.find(std::string(bytes));
    if (it == m_tokenIds.end()) return std::nullopt;
    return it->second;
}

std::optional<TokenId> Tokenizer::findAddedToken(std::string_view content) const {
    for (const auto& [text, id] : m_added)
        if (text == content) return id;
    return std::nullopt;
}

void Tokenizer::encodePiece(std::string_view piece, std::vector<TokenId>& out) const {
    if (m_data.bpe.ignoreMerges) {
        if (auto id = findToken(piece)) {
            out.push_back(*id);
            return;
        }
    }
    if (m_data.spelling == VocabSpelling::Text) {
        encodeTextPiece(piece, out);
        return;
    }
    BpeMerger::Scratch scratch;
    m_merger.encode(piece, out, scratch);
}

void Tokenizer::encodeBytePiece(std::string_view piece, ThreadState& state,
                                std::vector<TokenId>& out) const {
    std::string known;
    if (m_missingBytes) {
        for (char byte : piece)
            if (m_merger.byteId(static_cast<unsigned char>(byte)) != kNoToken) known += byte;
        if (known.size() != piece.size()) piece = known;
        if (piece.empty()) return;
    }
    if (piece.size() == 1) {
        out.push_back(m_merger.byteId(static_cast<unsigned char>(piece[0])));
        return;
    }
    uint64_t hash = XXH3_64bits(piece.data(), piece.size());
    if (state.cache.lookup(piece, hash, out)) return;
    size_t first = out.size();
    if (m_data.bpe.ignoreMerges) {
        auto it = m_tokenIds.find(std::string(piece));
        if (it != m_tokenIds.end()) {
            out.push_back(it->second);
            state.cache.insert(piece, hash, &out[first], 1);
            return;
        }
    }
    m_merger.encode(piece, out, state.scratch);
    state.cache.insert(piece, hash, out.data() + first, out.size() - first);
}

// Hugging Face's BPE over characters: each character is its token, else its <0xNN> byte
// tokens (byte_fallback), else the unk token (fused when fuse_unk), else nothing.
void Tokenizer::encodeTextPiece(std::string_view piece, std::vector<TokenId>& out) const {
    if (m_data.bpe.ignoreMerges) {
        if (auto id = findToken(piece)) {
            out.push_back(*id);
            return;
        }
    }
    ThreadState& state = threadState(m_serial);
    std::vector<TokenId>& initial = state.initial;
    initial.clear();
    bool lastWasUnk = false;
    std::string character;
    for (size_t pos = 0; pos < piece.size();) {
        size_t length =
            std::min(utf8Length(static_cast<unsigned char>(piece[pos])), piece.size() - pos);
        character.assign(piece.substr(pos, length));
        pos += length;
        if (auto it = m_tokenIds.find(character); it != m_tokenIds.end()) {
            initial.push_back(it->second);
            lastWasUnk = false;
            continue;
        }
        bool allBytes = m_data.bpe.byteFallback;
        for (char byte : character)
            allBytes = allBytes && m_fallbackIds[static_cast<unsigned char>(byte)] != kNoToken;
        if (allBytes) {
            for (char byte : character)
                initial.push_back(m_fallbackIds[static_cast<unsigned char>(byte)]);
            lastWasUnk = false;
            continue;
        }
        if (m_unkId == kNoToken) continue;
        if (!(lastWasUnk && m_data.bpe.fuseUnk)) initial.push_back(m_unkId);
        lastWasUnk = true;
    }
    if (initial.empty()) return;
    m_merger.encodeIds(initial, out, state.scratch);
}

void Tokenizer::encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const {
    ThreadState& state = threadState(m_serial);
    m_preTokenizer.split(text, [&](std::string_view piece) { encodeBytePiece(piece, state, out); });
}

void Tokenizer::encodePieces(std::string_view text, bool atStart, std::vector<TokenId>& out) const {
    if (m_fastPath) {
        encodeOrdinary(text, out);
        return;
    }
    std::vector<Piece> pieces;
    m_pipeline->split(text, atStart, pieces);
    ThreadState& state = threadState(m_serial);
    for (const Piece& piece : pieces) {
        if (m_data.spelling == VocabSpelling::ByteLevel) {
            encodeBytePiece(piece.text, state, out);
        } else {
            encodeTextPiece(piece.text, out);
        }
    }
}

void Tokenizer::encodeSegment(std::string_view segment, bool atStart, const Matchers* matchers,
                              std::vector<TokenId>& out) const {
    std::string normalized;
    if (!m_data.normalizers.empty()) {
        normalized = normalize(m_data.normalizers, segment);
        segment = normalized;
    }
    if (!matchers || matchers->normalized.empty()) {
        encodePieces(segment, atStart, out);
        return;
    }
    std::vector<AddedTokenMatcher::Segment> parts;
    matchers->normalized.split(segment, parts);
    for (const auto& part : parts) {
        if (part.id != AddedTokenMatcher::kText) {
            out.push_back(part.id);
        } else {
            encodePieces(segment.substr(part.begin, part.end - part.begin),
                         atStart && part.begin == 0, out);
        }
    }
}

void Tokenizer::encodeWith(std::string_view text, const Matchers* matchers,
                           std::vector<TokenId>& out) const {
    if (!matchers || matchers->raw.empty()) {
        encodeSegment(text, true, matchers, out);
        return;
    }
    std::vector<AddedTokenMatcher::Segment> parts;
    matchers->raw.split(text, parts);
    for (const auto& part : parts) {
        if (part.id != AddedTokenMatcher::kText) {
            out.push_back(part.id);
        } else {
            encodeSegment(text.substr(part.begin, part.end - part.begin), part.begin == 0, matchers,
                          out);
        }
    }
}

void Tokenizer::encode(std::string_view text, const SpecialPolicy& policy,
                       std::vector<TokenId>& out) const {
    std::string replaced;
    if (common::findInvalidUtf8(text) != std::string_view::npos) {
        replaced = common::replaceInvalidUtf8(text);
        text = replaced;
    }
    switch (policy.mode) {
        case SpecialPolicy::Mode::None:
            encodeWith(text, nullptr, out);
            return;
        case SpecialPolicy::Mode::All:
            encodeWith(text, &m_allMatchers, out);
            return;
        case SpecialPolicy::Mode::Only: {
            for (const std::string& content : policy.allowed)
                if (!findAddedToken(content))
                    common::fail("'{}' is not a special token of this tokenizer", content);
            std::vector<AddedToken> allowed;
            for (const AddedToken& token : m_data.addedTokens)
                if (std::find(policy.allowed.begin(), policy.allowed.end(), token.content) !=
                    policy.allowed.end())
                    allowed.push_back(token);
            Matchers matchers = buildMatchers(allowed);
            encodeWith(text, &matchers, out);
            return;
        }
    }
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, const SpecialPolicy& policy) const {
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 1);
    encode(text, policy, out);
    return out;
}

std::vector<std::vector<TokenId>> Tokenizer::encodeBatch(std::span<const std::string_view> texts,
                                                         const SpecialPolicy& policy) const {
    std::vector<std::vector<TokenId>> results(texts.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, texts.size()),
                      [&](const tbb::blocked_range<size_t>& range) {
                          for (size_t i = range.begin(); i != range.end(); ++i)
                              encode(texts[i], policy, results[i]);
                      });
    return results;
}

std::vector<TokenId> Tokenizer::addSpecialTokens(std::span<const TokenId> ids) const {
    const TemplateProcessor* processor = nullptr;
    for (const PostProcessorStep& step : m_data.postProcessors)
        if (const auto* found = std::get_if<TemplateProcessor>(&step)) processor = found;
    if (!processor) return {ids.begin(), ids.end()};
    std::vector<TokenId> out;
    out.reserve(ids.size() + 4);
    for (const TemplatePiece& piece : processor->single) {
        if (piece.isSequence) {
            out.insert(out.end(), ids.begin(), ids.end());
            continue;
        }
        for (const TemplateSpecial& special : processor->specialTokens)
            if (special.name == piece.name)
                out.insert(out.end(), special.ids.begin(), special.ids.end());
    }
    return out;
}

void Tokenizer::checkId(TokenId id) const {
    if (id >= m_data.tokens.size())
        common::fail("token id {} is out of range (the vocabulary has {} tokens)", id,
                     m_data.tokens.size());
}

const std::string& Tokenizer::addedText(TokenId id) const {
    auto normalized = m_normalizedAdded.find(id);
    return normalized == m_normalizedAdded.end() ? m_data.tokens[id] : normalized->second;
}

std::string Tokenizer::decode(std::span<const TokenId> ids) const {
    std::string out;
    for (TokenId id : ids) {
        checkId(id);
        if (!m_streamBytes.empty())
            out += m_streamBytes[id];
        else
            out += m_isAdded[id] ? addedText(id) : m_data.tokens[id];
    }
    return out;
}

std::string Tokenizer::decodeText(std::span<const TokenId> ids) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (TokenId id : ids) {
        checkId(id);
        if (m_isAdded[id]) {
            tokens.push_back(addedText(id));
        } else if (m_data.spelling == VocabSpelling::Text) {
            tokens.push_back(m_data.tokens[id]);
        } else {
            std::string spelled;
            appendByteLevel(spelled, m_data.tokens[id]);
            tokens.push_back(std::move(spelled));
        }
    }
    return decodeTokens(m_data.decoders, std::move(tokens));
}

}  // namespace strata::tokenizer
