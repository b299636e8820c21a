#include "core/proto/generation_client.h"

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
        GenerationLine line;
        try {
            line = parseGenerationLine(message->dataJson);
        } catch (const common::Error& error) {
            common::fail("{}: {}", connection.target().name(), error.what());
        }
        if (line.kind == GenerationLine::Kind::Error)
            common::fail("{}: {}", connection.target().name(), line.error);
        if (line.kind == GenerationLine::Kind::Finished) return;
        onPiece(line.piece);
    }
}

}  // namespace strata::proto
