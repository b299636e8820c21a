#include "core/proto/chat_turns.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"

#include <simdjson.h>

namespace strata::proto {

using common::fail;

std::string chatTurnsJson(const std::vector<ChatTurn>& turns) {
    common::JsonWriter json;
    json.beginArray();
    for (const ChatTurn& turn : turns)
        json.beginObject().field("role", turn.role).field("content", turn.content).endObject();
    return json.endArray().take();
}

std::vector<ChatTurn> parseChatTurns(std::string_view json, std::string_view where) {
    if (json.size() > kMaxHistoryJsonBytes)
        fail("{}: the conversation is {} bytes of JSON; at most {}", where, json.size(),
             kMaxHistoryJsonBytes);
    simdjson::dom::parser parser;
    simdjson::dom::array list;
    if (parser.parse(simdjson::padded_string(json)).get(list))
        fail("{}: must be a JSON array of {{\"role\", \"content\"}} objects", where);
    std::vector<ChatTurn> turns;
    size_t index = 0;
    for (simdjson::dom::element item : list) {
        simdjson::dom::object turn;
        std::string_view role, content;
        if (item.get(turn) || turn["role"].get(role) || turn["content"].get(content) ||
            turn.size() != 2)
            fail("{}: turn {} must be {{\"role\": ..., \"content\": ...}} with two strings", where,
                 index);
        if (role != "system" && role != "user" && role != "assistant")
            fail("{}: turn {} has role '{}' (system, user or assistant)", where, index, role);
        turns.push_back({std::string(role), std::string(content)});
        ++index;
    }
    return turns;
}

}  // namespace strata::proto
