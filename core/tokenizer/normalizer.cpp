// Normalizer steps. Offsets are not tracked: Strata needs only the ids.
#include "core/tokenizer/normalizer.h"

#include "core/common/error.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace strata::tokenizer {

namespace {

std::string unicodeForm(std::string_view text, int options) {
    utf8proc_uint8_t* mapped = nullptr;
    utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     utf8proc_ssize_t(text.size()), &mapped, utf8proc_option_t(options));
    if (length < 0) common::fail("normalizer: {}", utf8proc_errmsg(length));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
    return std::string(reinterpret_cast<const char*>(mapped), size_t(length));
}

std::string replaceAll(std::string_view text, std::string_view pattern, std::string_view content) {
    if (pattern.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    for (size_t at = text.find(pattern); at != std::string_view::npos;
         at = text.find(pattern, pos)) {
        out.append(text.substr(pos, at - pos));
        out.append(content);
        pos = at + pattern.size();
    }
    out.append(text.substr(pos));
    return out;
}

bool isAscii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

std::string normalize(const std::vector<NormalizerStep>& steps, std::string_view text) {
    std::string out(text);
    for (const NormalizerStep& step : steps) {
        if (std::holds_alternative<NfcNormalizer>(step)) {
            // ASCII is already in every normal form.
            if (!isAscii(out)) out = unicodeForm(out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        } else if (std::holds_alternative<NfkcNormalizer>(step)) {
            if (!isAscii(out))
                out = unicodeForm(out, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
        } else if (const auto* prepend = std::get_if<PrependNormalizer>(&step)) {
            if (!out.empty()) out.insert(0, prepend->prepend);
        } else if (const auto* replace = std::get_if<ReplaceNormalizer>(&step)) {
            out = replaceAll(out, replace->pattern, replace->content);
        }
    }
    return out;
}

}  // namespace strata::tokenizer
