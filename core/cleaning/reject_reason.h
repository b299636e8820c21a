// Why a document left the pipeline: one value per rule, in pipeline order, so the funnel can
// report each rule and the --rejected side file can name it. Names are "stage.rule".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::cleaning {

enum class RejectReason : uint8_t {
    Kept,
    Empty,  // nothing left after HTML extraction and normalization
    TooFewWords,
    TooManyWords,
    LowEntropy,
    MeanWordLength,
    SymbolRatio,
    BulletLines,
    EllipsisLines,
    AlphaWords,
    DuplicateLines,
    DuplicateParagraphs,
    DuplicateLineChars,
    DuplicateParagraphChars,
    TopNgram2,
    TopNgram3,
    TopNgram4,
    DuplicateNgram5,
    DuplicateNgram6,
    DuplicateNgram7,
    DuplicateNgram8,
    DuplicateNgram9,
    DuplicateNgram10,
    Blocklist,
    Script,
    ExactDuplicate,
    NearDuplicate,
};
inline constexpr size_t kNumRejectReasons = size_t(RejectReason::NearDuplicate) + 1;

std::string_view rejectReasonName(RejectReason reason);
// The reason of a name rejectReasonName gives; nothing for any other text.
std::optional<RejectReason> parseRejectReason(std::string_view name);
// The stage a reason belongs to ("words", "gopher_quality", "repetition", ...).
std::string_view rejectReasonStage(RejectReason reason);

}  // namespace strata::cleaning
