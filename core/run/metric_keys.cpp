#include "core/run/metric_keys.h"

#include <fmt/format.h>

#include <charconv>

namespace strata::run {

namespace {

constexpr std::string_view kValidationPrefix = "val_";
constexpr std::string_view kRewardPrefix = "reward_";
constexpr std::string_view kRouterPrefix = "router.";
constexpr std::string_view kLoadInfix = ".load.";
constexpr std::string_view kFp8Prefix = "fp8.";

// A whole number as fmt writes one that is not negative: digits only, no leading zero.
std::optional<int64_t> parseIndex(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::string validationKey(std::string_view metric) {
    return fmt::format("{}{}", kValidationPrefix, metric);
}

std::string rewardPartKey(std::string_view part) {
    return fmt::format("{}{}", kRewardPrefix, part);
}

std::optional<std::string_view> parseRewardPartKey(std::string_view key) {
    if (!key.starts_with(kRewardPrefix) || key.size() == kRewardPrefix.size()) return std::nullopt;
    return key.substr(kRewardPrefix.size());
}

std::string routerEntropyKey(int64_t layer) {
    return fmt::format("{}{}.entropy", kRouterPrefix, layer);
}

std::string routerDroppedKey(int64_t layer) {
    return fmt::format("{}{}.dropped", kRouterPrefix, layer);
}

std::string routerMaxLoadKey(int64_t layer) {
    return fmt::format("{}{}.max_load", kRouterPrefix, layer);
}

std::string routerLoadKey(int64_t layer, int64_t expert) {
    return fmt::format("{}{}{}{}", kRouterPrefix, layer, kLoadInfix, expert);
}

std::optional<RouterLoadKey> parseRouterLoadKey(std::string_view key) {
    if (!key.starts_with(kRouterPrefix)) return std::nullopt;
    key.remove_prefix(kRouterPrefix.size());
    size_t infix = key.find(kLoadInfix);
    if (infix == std::string_view::npos) return std::nullopt;
    std::optional<int64_t> layer = parseIndex(key.substr(0, infix));
    std::optional<int64_t> expert = parseIndex(key.substr(infix + kLoadInfix.size()));
    if (!layer || !expert) return std::nullopt;
    return RouterLoadKey{*layer, *expert};
}

std::string fp8LayerKey(std::string_view weight, std::string_view series) {
    return fmt::format("{}{}.{}", kFp8Prefix, weight, series);
}

std::optional<std::string_view> parseFp8LayerKey(std::string_view key, std::string_view series) {
    // The weight's name has dots of its own, so the series is matched from the end.
    if (!key.starts_with(kFp8Prefix) || !key.ends_with(series) ||
        key.size() < kFp8Prefix.size() + series.size() + 2)
        return std::nullopt;
    std::string_view weight =
        key.substr(kFp8Prefix.size(), key.size() - kFp8Prefix.size() - series.size());
    if (!weight.ends_with('.')) return std::nullopt;
    weight.remove_suffix(1);
    return weight;
}

}  // namespace strata::run
