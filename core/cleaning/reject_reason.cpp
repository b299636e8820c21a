#include "core/cleaning/reject_reason.h"

namespace strata::cleaning {

namespace {

struct ReasonInfo {
    std::string_view name;
    std::string_view stage;
};

constexpr ReasonInfo kReasons[kNumRejectReasons] = {
    {"kept", "kept"},
    {"normalize.empty", "normalize"},
    {"words.too_few", "words"},
    {"words.too_many", "words"},
    {"entropy.too_low", "entropy"},
    {"gopher_quality.mean_word_length", "gopher_quality"},
    {"gopher_quality.symbol_ratio", "gopher_quality"},
    {"gopher_quality.bullet_lines", "gopher_quality"},
    {"gopher_quality.ellipsis_lines", "gopher_quality"},
    {"gopher_quality.alpha_words", "gopher_quality"},
    {"repetition.duplicate_lines", "repetition"},
    {"repetition.duplicate_paragraphs", "repetition"},
    {"repetition.duplicate_line_chars", "repetition"},
    {"repetition.duplicate_paragraph_chars", "repetition"},
    {"repetition.top_2gram", "repetition"},
    {"repetition.top_3gram", "repetition"},
    {"repetition.top_4gram", "repetition"},
    {"repetition.duplicate_5gram", "repetition"},
    {"repetition.duplicate_6gram", "repetition"},
    {"repetition.duplicate_7gram", "repetition"},
    {"repetition.duplicate_8gram", "repetition"},
    {"repetition.duplicate_9gram", "repetition"},
    {"repetition.duplicate_10gram", "repetition"},
    {"blocklist.hit", "blocklist"},
    {"script.share", "script"},
    {"exact_dedup.duplicate", "exact_dedup"},
    {"near_dedup.duplicate", "near_dedup"},
};

}  // namespace

std::string_view rejectReasonName(RejectReason reason) {
    return kReasons[size_t(reason)].name;
}
std::optional<RejectReason> parseRejectReason(std::string_view name) {
    for (size_t reason = 0; reason < kNumRejectReasons; ++reason)
        if (kReasons[reason].name == name) return RejectReason(reason);
    return std::nullopt;
}
std::string_view rejectReasonStage(RejectReason reason) {
    return kReasons[size_t(reason)].stage;
}

}  // namespace strata::cleaning
