// Decoder steps over token strings. Not a hot path: decoding is per request, not per corpus.
#include "core/tokenizer/decoder.h"

#include "core/common/utf8.h"
#include "core/tokenizer/byte_level.h"

#include <optional>

namespace strata::tokenizer {

namespace {

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// The byte of a "<0xNN>" token.
std::optional<unsigned char> fallbackByte(std::string_view token) {
    if (token.size() != 6 || !token.starts_with("<0x") || token.back() != '>') return std::nullopt;
    unsigned value = 0;
    for (char c : token.substr(3, 2)) {
        value <<= 4;
        if (c >= '0' && c <= '9') {
            value |= unsigned(c - '0');
        } else if (c >= 'A' && c <= 'F') {
            value |= unsigned(c - 'A' + 10);
        } else if (c >= 'a' && c <= 'f') {
            value |= unsigned(c - 'a' + 10);
        } else {
            return std::nullopt;
        }
    }
    return static_cast<unsigned char>(value);
}

// Code point boundaries of a valid UTF-8 string.
std::vector<size_t> charStarts(std::string_view text) {
    std::vector<size_t> starts;
    for (size_t pos = 0; pos < text.size(); ++pos)
        if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) starts.push_back(pos);
    return starts;
}

std::string strip(const StripDecoder& step, const std::string& token) {
    std::vector<size_t> starts = charStarts(token);
    auto charAt = [&](size_t i) {
        size_t end = i + 1 < starts.size() ? starts[i + 1] : token.size();
        return std::string_view(token).substr(starts[i], end - starts[i]);
    };
    size_t first = 0;
    for (size_t i = 0; i < step.start && i < starts.size() && charAt(i) == step.content; ++i)
        first = i + 1;
    size_t last = starts.size();
    for (size_t i = 0; i < step.stop && i < starts.size(); ++i) {
        size_t index = starts.size() - i - 1;
        if (charAt(index) != step.content) break;
        last = index;
    }
    if (first >= last) return {};
    size_t begin = starts[first];
    size_t end = last < starts.size() ? starts[last] : token.size();
    return token.substr(begin, end - begin);
}

std::vector<std::string> byteFallback(std::vector<std::string> tokens) {
    std::vector<std::string> out;
    std::string bytes;
    auto flush = [&] {
        if (bytes.empty()) return;
        if (common::findInvalidUtf8(bytes) == std::string_view::npos) {
            out.push_back(bytes);
        } else {
            for (size_t i = 0; i < bytes.size(); ++i)
                out.push_back("\uFFFD");
        }
        bytes.clear();
    };
    for (std::string& token : tokens) {
        if (std::optional<unsigned char> byte = fallbackByte(token)) {
            bytes.push_back(char(*byte));
            continue;
        }
        flush();
        out.push_back(std::move(token));
    }
    flush();
    return out;
}

std::string byteLevelBytes(const std::string& token) {
    std::string bytes;
    return parseByteLevel(token, bytes) ? bytes : token;
}

}  // namespace

std::string decodeTokens(const std::vector<DecoderStep>& steps, std::vector<std::string> tokens) {
    for (const DecoderStep& step : steps) {
        if (std::holds_alternative<ByteLevelDecoder>(step)) {
            std::string bytes;
            for (const std::string& token : tokens)
                bytes += byteLevelBytes(token);
            tokens = {common::replaceInvalidUtf8(bytes)};
        } else if (const auto* replace = std::get_if<ReplaceDecoder>(&step)) {
            for (std::string& token : tokens)
                replaceAll(token, replace->pattern, replace->content);
        } else if (std::holds_alternative<ByteFallbackDecoder>(step)) {
            tokens = byteFallback(std::move(tokens));
        } else if (std::holds_alternative<FuseDecoder>(step)) {
            std::string fused;
            for (const std::string& token : tokens)
                fused += token;
            tokens = {fused};
        } else if (const auto* stripStep = std::get_if<StripDecoder>(&step)) {
            for (std::string& token : tokens)
                token = strip(*stripStep, token);
        } else if (const auto* metaspace = std::get_if<MetaspaceDecoder>(&step)) {
            // In the first token the replacement characters vanish (they were prepended);
            // elsewhere they are spaces.
            for (size_t i = 0; i < tokens.size(); ++i) {
                bool dropped = i == 0 && metaspace->prependScheme != PrependScheme::Never;
                replaceAll(tokens[i], metaspace->replacement, dropped ? "" : " ");
            }
        }
    }
    if (steps.empty()) {
        std::string joined;
        for (size_t i = 0; i < tokens.size(); ++i) {
            if (i > 0) joined += ' ';
            joined += tokens[i];
        }
        return joined;
    }
    std::string out;
    for (const std::string& token : tokens)
        out += token;
    return out;
}

std::string tokenStreamBytes(const std::vector<DecoderStep>& steps, std::string token) {
    for (const DecoderStep& step : steps) {
        if (std::holds_alternative<ByteLevelDecoder>(step)) {
            token = byteLevelBytes(token);
        } else if (const auto* replace = std::get_if<ReplaceDecoder>(&step)) {
            replaceAll(token, replace->pattern, replace->content);
        } else if (std::holds_alternative<ByteFallbackDecoder>(step)) {
            if (std::optional<unsigned char> byte = fallbackByte(token))
                token = std::string(1, char(*byte));
        } else if (const auto* metaspace = std::get_if<MetaspaceDecoder>(&step)) {
            replaceAll(token, metaspace->replacement, " ");
        }
    }
    return token;
}

}  // namespace strata::tokenizer
