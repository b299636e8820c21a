// The earlier turns of a conversation a generation continues (the Playground's chat), as JSON:
// [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}, ...], roles
// "system", "user" and "assistant". It travels in the generate request's "history" and to
// `strata-cli generate --history`, and is capped so that it always fits one command-line argument.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace strata::proto {

// The bytes of the history's JSON at most: under Linux's limit on one argument (128 KiB).
inline constexpr size_t kMaxHistoryJsonBytes = size_t(96) << 10;

struct ChatTurn {
    std::string role;
    std::string content;
    bool operator==(const ChatTurn&) const = default;
};

std::string chatTurnsJson(const std::vector<ChatTurn>& turns);

// Throws common::Error starting with `where` when the text is not such an array, a role is
// unknown or the JSON is longer than kMaxHistoryJsonBytes.
std::vector<ChatTurn> parseChatTurns(std::string_view json, std::string_view where);

}  // namespace strata::proto
