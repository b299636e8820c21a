// Tokenizer: validation of TokenizerData, the encode pipeline and decode.
#include "core/tokenizer/tokenizer.h"

#include "core/common/error.h"
#include "core/common/utf8.h"
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

// The working memory of encode() on one thread; it follows the last tokenizer used there.
struct ThreadState {
    uint64_t owner = 0;
    PieceCache cache{kCacheSlots};
    BpeMerger::Scratch scratch;
};

ThreadState& threadState(uint64_t owner) {
    thread_local ThreadState state;
    if (state.owner != owner) {
        state.cache.clear();
        state.owner = owner;
    }
    return state;
}

}  // namespace

Tokenizer::Tokenizer(TokenizerData data)
    : m_data(std::move(data)),
      m_preTokenizer(m_data.splitPatterns),
      m_serial(g_nextSerial.fetch_add(1)) {
    const auto& tokens = m_data.tokens;
    const size_t size = tokens.size();
    if (size < 256)
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
        m_specials.push_back({added.content, added.id});
    }
    std::stable_sort(m_specials.begin(), m_specials.end(), [](const Special& a, const Special& b) {
        return a.content.size() > b.content.size();
    });

    m_tokenIds.reserve(size);
    for (TokenId id = 0; id < size; ++id) {
        if (m_isAdded[id]) continue;
        if (tokens[id].empty()) common::fail("token {} is empty", id);
        auto [it, inserted] = m_tokenIds.emplace(tokens[id], id);
        if (!inserted) common::fail("tokens {} and {} have the same bytes", it->second, id);
    }

    std::array<TokenId, 256> byteIds{};
    for (int b = 0; b < 256; ++b) {
        auto it = m_tokenIds.find(std::string(1, char(b)));
        if (it == m_tokenIds.end()) common::fail("no token for the byte 0x{:02X}", b);
        byteIds[b] = it->second;
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

std::optional<TokenId> Tokenizer::findToken(std::string_view bytes) const {
    auto it = m_tokenIds.find(std::string(bytes));
    if (it == m_tokenIds.end()) return std::nullopt;
    return it->second;
}

std::optional<TokenId> Tokenizer::findAddedToken(std::string_view content) const {
    for (const Special& special : m_specials)
        if (special.content == content) return special.id;
    return std::nullopt;
}

void Tokenizer::encodePiece(std::string_view piece, std::vector<TokenId>& out) const {
    if (m_data.ignoreMerges) {
        if (auto id = findToken(piece)) {
            out.push_back(*id);
            return;
        }
    }
    BpeMerger::Scratch scratch;
    m_merger.encode(piece, out, scratch);
}

void Tokenizer::encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const {
    ThreadState& state = threadState(m_serial);
    m_preTokenizer.split(text, [&](std::string_view piece) {
        if (piece.size() == 1) {
            out.push_back(m_merger.byteId(static_cast<unsigned char>(piece[0])));
            return;
        }
        uint64_t hash = XXH3_64bits(piece.data(), piece.size());
        if (state.cache.lookup(piece, hash, out)) return;
        size_t first = out.size();
        if (m_data.ignoreMerges) {
            auto it = m_tokenIds.find(std::string(piece));
            if (it != m_tokenIds.end()) {
                out.push_back(it->second);
                state.cache.insert(piece, hash, &out[first], 1);
                return;
            }
        }
        m_merger.encode(piece, out, state.scratch);
        state.cache.insert(piece, hash, out.data() + first, out.size() - first);
    });
}

void Tokenizer::encodeWithSpecials(std::string_view text, const std::vector<Special>& specials,
                                   std::vector<TokenId>& out) const {
    // Leftmost match, longest first at one position (`specials` is sorted by length).
    bool firstByte[256] = {};
    for (const Special& special : specials)
        firstByte[uint8_t(special.content[0])] = true;
    size_t segment = 0;
    for (size_t pos = 0; pos < text.size(); ++pos) {
        if (!firstByte[uint8_t(text[pos])]) continue;
        for (const Special& special : specials) {
            if (text.compare(pos, special.content.size(), special.content) != 0) continue;
            encodeOrdinary(text.substr(segment, pos - segment), out);
            out.push_back(special.id);
            pos += special.content.size();
            segment = pos;
            --pos;  // the loop's ++pos
            break;
        }
    }
    encodeOrdinary(text.substr(segment), out);
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
            encodeOrdinary(text, out);
            return;
        case SpecialPolicy::Mode::All:
            encodeWithSpecials(text, m_specials, out);
            return;
        case SpecialPolicy::Mode::Only: {
            std::vector<Special> allowed;
            for (const Special& special : m_specials)
                if (std::find(policy.allowed.begin(), policy.allowed.end(), special.content) !=
                    policy.allowed.end())
                    allowed.push_back(special);
            for (const std::string& content : policy.allowed)
                if (!findAddedToken(content))
                    common::fail("'{}' is not a special token of this tokenizer", content);
            encodeWithSpecials(text, allowed, out);
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

std::string Tokenizer::decode(std::span<const TokenId> ids) const {
    std::string out;
    for (TokenId id : ids) {
        if (id >= m_data.tokens.size())
            common::fail("token id {} is out of range (the vocabulary has {} tokens)", id,
                         m_data.tokens.size());
        out += m_data.tokens[id];
    }
    return out;
}

}  // namespace strata::tokenizer
