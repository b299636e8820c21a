// The lines of a generation, one JSON object each, written and read here so both ends agree:
// `strata-cli generate --json` writes a piece line for each piece of new text, a done line when a
// prompt's text ends and, when it fails, an error line before it exits; the worker relays the
// pieces as the data of "generated" messages (docs/protocol.md) and ends the generation with a
// finished line or the error; the client reads them back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::proto {

// One message of a generation: new text of one prompt, or the end of that prompt's text.
struct GeneratedPiece {
    int prompt = 0;      // index into GenerateSpec::prompts
    std::string text;    // the new text; empty on the message that ends a prompt
    bool done = false;   // this prompt's text is complete
    int64_t tokens = 0;  // done: tokens sampled for it
    double seconds = 0;  // done: how long that took
};

// {"prompt": I, "text": "..."}
std::string pieceLine(int prompt, std::string_view text);
// {"prompt": I, "done": true, "tokens": N, "seconds": S}
std::string promptDoneLine(int prompt, int64_t tokens, double seconds);
// {"finished": true}: every prompt is done.
std::string finishedLine();
// {"error": "..."}: the one-line reason the generation failed.
std::string errorLine(std::string_view message);

struct GenerationLine {
    enum class Kind { Piece, Finished, Error };
    Kind kind = Kind::Piece;
    GeneratedPiece piece;  // Piece: new text, or a prompt's end
    std::string error;     // Error
};

// Decodes one line (without its newline). Throws common::Error with a one-line message, the
// line's start quoted, when it is not one of the lines above.
GenerationLine parseGenerationLine(std::string_view line);

}  // namespace strata::proto
