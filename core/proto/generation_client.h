// Generating text on a worker, as the studio's Playground and pair generation do: send a
// generate request, then hand each generated piece to the caller as it arrives, token by token.
#pragma once

#include "core/proto/generation_lines.h"
#include "core/proto/protocol.h"
#include "core/proto/worker_connection.h"

#include <functional>
#include <string>

namespace strata::proto {

// Generates `spec` through `connection` and returns when every prompt is done. `onPiece` sees
// each piece in order; `keepGoing` is asked between messages, and false from it cancels the
// generation on the worker and returns. Throws common::Error with the worker's one-line reason
// when the request is refused or generation fails (a missing checkpoint, a prompt longer than
// the context), and ConnectionLost when the worker goes away.
void generateText(WorkerConnection& connection, const GenerateSpec& spec,
                  const std::function<void(const GeneratedPiece&)>& onPiece,
                  const std::function<bool()>& keepGoing = {});

}  // namespace strata::proto
