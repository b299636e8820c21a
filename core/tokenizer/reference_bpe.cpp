// Plain BPE training and encoding; see reference_bpe.h.
#include "core/tokenizer/reference_bpe.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/word_counter.h"

namespace strata::tokenizer {

TokenizerData trainBpeReference(std::span<const std::string_view> documents,
                                const TrainerConfig& config) {
    PreTokenizer preTokenizer(config.splitPatterns);
    std::map<std::string, uint64_t> wordCounts;
    for (std::string_view document : documents)
        forEachTrainingPiece(document, config.specialTokens, preTokenizer,
                             [&](std::string_view piece) { ++wordCounts[std::string(piece)]; });

    TokenizerData data;
    std::map<std::string, TokenId> idOf;
    for (uint8_t byte : byteLevelOrder()) {
        idOf[std::string(1, char(byte))] = TokenId(data.tokens.size());
        data.tokens.emplace_back(1, char(byte));
    }
    std::vector<std::pair<std::vector<TokenId>, uint64_t>> words;
    for (const auto& [word, count] : wordCounts) {
        std::vector<TokenId> symbols;
        for (char c : word)
            symbols.push_back(idOf[std::string(1, c)]);
        words.emplace_back(symbols, count);
    }

    const size_t wanted = config.vocabSize - config.specialTokens.size();
    while (data.tokens.size() < wanted) {
        std::map<std::pair<TokenId, TokenId>, uint64_t> pairCounts;
        for (const auto& [symbols, count] : words)
            for (size_t i = 0; i + 1 < symbols.size(); ++i)
                pairCounts[{symbols[i], symbols[i + 1]}] += count;
        // Highest count; on a tie the smallest (left bytes, right bytes).
        const std::pair<TokenId, TokenId>* best = nullptr;
        uint64_t bestCount = 0;
        for (const auto& [pair, count] : pairCounts) {
            bool better = count > bestCount;
            if (best && count == bestCount) {
                const auto& [bl, br] = *best;
                better = std::pair(data.tokens[pair.first], data.tokens[pair.second]) <
                         std::pair(data.tokens[bl], data.tokens[br]);
            }
            if (better) {
                best = &pair;
                bestCount = count;
            }
        }
        if (!best || bestCount < config.minFrequency) break;
        auto [left, right] = *best;
        std::string bytes = data.tokens[left] + data.tokens[right];
        auto [it, added] = idOf.emplace(bytes, TokenId(data.tokens.size()));
        if (added) data.tokens.push_back(bytes);
        data.merges.emplace_back(left, right);
        for (auto& [symbols, count] : words) {
            std::vector<TokenId> merged;
            for (size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == left && symbols[i + 1] == right) {
                    merged.push_back(it->second);
                    ++i;
                } else {
                    merged.push_back(symbols[i]);
                }
            }
            symbols = std::move(merged);
        }
    }
    for (const std::string& special : config.specialTokens) {
        data.addedTokens.push_back({TokenId(data.tokens.size()), special, true});
        data.tokens.push_back(special);
    }
    data.preTokenizers = byteLevelSplits(config.splitPatterns);
    return data;
}

ReferenceEncoder::ReferenceEncoder(const TokenizerData& data) {
    for (size_t rank = 0; rank < data.merges.size(); ++rank)
        m_rankOf.emplace(
            std::pair(data.tokens[data.merges[rank].first], data.tokens[data.merges[rank].second]),
            rank);
    std::vector<bool> added(data.tokens.size(), false);
    for (const AddedToken& token : data.addedTokens)
        added[token.id] = true;
    for (TokenId id = 0; id < data.tokens.size(); ++id)
        if (!added[id]) m_idOf.emplace(data.tokens[id], id);
}

std::vector<TokenId> ReferenceEncoder::encodePiece(std::string_view piece) const {
    std::vector<std::string> parts;
    for (char c : piece)
        parts.emplace_back(1, c);
    while (parts.size() > 1) {
        size_t best = parts.size();
        size_t bestRank = 0;
        for (size_t i = 0; i + 1 < parts.size(); ++i) {
            auto it = m_rankOf.find({parts[i], parts[i + 1]});
            if (it != m_rankOf.end() && (best == parts.size() || it->second < bestRank)) {
                best = i;
                bestRank = it->second;
            }
        }
        if (best == parts.size()) break;
        parts[best] += parts[best + 1];
        parts.erase(parts.begin() + long(best) + 1);
    }
    std::vector<TokenId> ids;
    for (const std::string& part : parts)
        ids.push_back(m_idOf.at(part));
    return ids;
}

}  // namespace strata::tokenizer
