// The names of a run's metrics, spelled once: what the trainers report (StepMetrics' fields and
// extras, EvalMetrics'), what the run history stores them as (core/proto/event_ingest.h) and what
// the studio's charts read back. The structured keys, a validation measure, a reward part, a
// router layer's series or an FP8 layer's, are built here, and parsed here where something reads
// them back. Not here: the other fields of the events (docs/formats.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::run {

// Every step's ("metrics" events).
inline constexpr const char* kMetricTokens = "tokens";  // training tokens seen so far
inline constexpr const char* kMetricLoss = "loss";
inline constexpr const char* kMetricRouterLoss = "router_loss";
inline constexpr const char* kMetricLr = "lr";
inline constexpr const char* kMetricGradNorm = "grad_norm";
inline constexpr const char* kMetricStepSeconds = "step_seconds";
inline constexpr const char* kMetricTokensPerSecond = "tokens_per_second";
inline constexpr const char* kMetricMemoryBytes = "memory_bytes";
inline constexpr const char* kMetricSkipped = "skipped";
inline constexpr const char* kMetricMfu = "mfu";

// The precision's: fp16's loss scale and the steps it skipped, FP8's values out of range.
inline constexpr const char* kMetricLossScale = "loss_scale";
inline constexpr const char* kMetricOverflowSteps = "overflow_steps";
inline constexpr const char* kMetricFp8Overflow = "fp8_overflow";
inline constexpr const char* kMetricFp8Underflow = "fp8_underflow";

// The alignment stages' own (docs/formats.md lists which stage reports which).
inline constexpr const char* kMetricTrainedTokens = "trained_tokens";
inline constexpr const char* kMetricAccuracy = "accuracy";
inline constexpr const char* kMetricMargin = "margin";
inline constexpr const char* kMetricChosenReward = "chosen_reward";
inline constexpr const char* kMetricRejectedReward = "rejected_reward";
inline constexpr const char* kMetricReward = "reward";
inline constexpr const char* kMetricResponseLength = "response_length";
inline constexpr const char* kMetricKl = "kl";
inline constexpr const char* kMetricKlCoef = "kl_coef";
inline constexpr const char* kMetricPolicyLoss = "policy_loss";
inline constexpr const char* kMetricValueLoss = "value_loss";
inline constexpr const char* kMetricEntropy = "entropy";
inline constexpr const char* kMetricApproxKl = "approx_kl";
inline constexpr const char* kMetricClipFraction = "clip_fraction";
inline constexpr const char* kMetricExactMatch = "exact_match";  // validation only
inline constexpr const char* kMetricPerplexity = "perplexity";   // validation only

// A validation pass's measure as the run history records it: "loss" → "val_loss".
std::string validationKey(std::string_view metric);

// One part of the reward, before its weight: a rule's ("reward_correctness") or the reward
// model's ("reward_model"); the parse gives the part, or nothing for other keys.
std::string rewardPartKey(std::string_view part);
std::optional<std::string_view> parseRewardPartKey(std::string_view key);

// One MoE layer's routing per step: "router.L.entropy", "router.L.dropped", "router.L.max_load"
// and each expert E's share of the routed assignments, "router.L.load.E".
std::string routerEntropyKey(int64_t layer);
std::string routerDroppedKey(int64_t layer);
std::string routerMaxLoadKey(int64_t layer);
std::string routerLoadKey(int64_t layer, int64_t expert);

struct RouterLoadKey {
    int64_t layer = 0;
    int64_t expert = 0;
};
// The layer and expert of a "router.L.load.E" key as routerLoadKey() writes it (no sign, no
// leading zeros); nothing for any other key.
std::optional<RouterLoadKey> parseRouterLoadKey(std::string_view key);

// One FP8 layer's series per step, "fp8.W.<series>", W the name of the layer's weight: the amax
// and the scale of each operand, and the values clamped to the format's largest or to zero.
inline constexpr const char* kFp8InputAmax = "input_amax";
inline constexpr const char* kFp8WeightAmax = "weight_amax";
inline constexpr const char* kFp8GradAmax = "grad_amax";
inline constexpr const char* kFp8InputScale = "input_scale";
inline constexpr const char* kFp8WeightScale = "weight_scale";
inline constexpr const char* kFp8GradScale = "grad_scale";
inline constexpr const char* kFp8LayerOverflow = "overflow";
inline constexpr const char* kFp8LayerUnderflow = "underflow";
// By operand, in the order the fp8 event lists them: input, weight, grad.
inline constexpr const char* kFp8AmaxSeries[] = {kFp8InputAmax, kFp8WeightAmax, kFp8GradAmax};
inline constexpr const char* kFp8ScaleSeries[] = {kFp8InputScale, kFp8WeightScale, kFp8GradScale};

std::string fp8LayerKey(std::string_view weight, std::string_view series);
// The weight W of an "fp8.W.<series>" key, or nothing for any other key.
std::optional<std::string_view> parseFp8LayerKey(std::string_view key, std::string_view series);

}  // namespace strata::run
