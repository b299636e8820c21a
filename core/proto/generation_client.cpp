#include "core/proto/generation_client.h"

#include "core/proto/json_fields.h"

#include <simdjson.h>

namespace strata::proto {

void generateText(WorkerConnection& connection, const GenerateSpec& spec,
                  const std::function<void(const GeneratedPiece&)>& onPiece,
                  const std::function<bool()>& keepGoing) {
    Request request;
    request.kind = RequestKind::Generate;
    request.generate = spec;
    simdjson::dom::parser parser;
    simdjson::dom::object reply;
    int64_t generation = 0;
    if (parser.parse(simdjson::padded_string(connection.call(request))).get(reply) ||
        reply["generation"].get(generation))
        common::fail("{}: the worker's generate reply names no generation",
                     connection.target().name());
    for (;;) {
        if (keepGoing && !keepGoing()) {
            Request cancel;
            cancel.kind = RequestKind::Cancel;
            cancel.generation = generation;
            try {
                connection.call(cancel);
            } catch (const ConnectionLost&) {
                throw;
            } catch (const common::Error&) {
                // It ended on its own before the cancel arrived: nothing is left to stop.
            }
            return;
        }
        std::optional<WorkerMessage> message = connection.nextEvent(std::chrono::milliseconds(100));
        // Pieces of an earlier, cancelled generation may still be queued; they are not ours.
        if (!message || message->kind != MessageKind::Generated ||
            message->generation != generation)
            continue;
        simdjson::dom::object data;
        if (parser.parse(simdjson::padded_string(message->dataJson)).get(data))
            common::fail("{}: generated text that is not a JSON object",
                         connection.target().name());
        std::string_view error;
        if (!data["error"].get(error)) common::fail("{}: {}", connection.target().name(), error);
        if (fieldOr<bool>(data, "finished", false)) return;
        GeneratedPiece piece;
        piece.prompt = int(fieldOr<int64_t>(data, "prompt", 0));
        piece.text = std::string(fieldOr<std::string_view>(data, "text", ""));
        piece.done = fieldOr<bool>(data, "done", false);
        piece.tokens = fieldOr<int64_t>(data, "tokens", 0);
        piece.seconds = fieldOr<double>(data, "seconds", 0);
        onPiece(piece);
    }
}

}  // namespace strata::proto
