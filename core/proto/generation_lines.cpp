#include "core/proto/generation_lines.h"

#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/utf8.h"

#include <simdjson.h>

#include <limits>

namespace strata::proto {

namespace {

// The start of a line that is not a generation line, for its error: enough to recognize it,
// escaped so the error stays one line of valid UTF-8 whatever the line held.
std::string quoted(std::string_view line) {
    constexpr size_t kShown = 60;
    std::string_view start = line.substr(0, kShown);
    return common::quotedJson(start.substr(0, common::completeUtf8Prefix(start))) +
           (line.size() > kShown ? "…" : "");
}

[[noreturn]] void badLine(std::string_view line, std::string_view what) {
    common::fail("generation line {}: {}", quoted(line), what);
}

}  // namespace

std::string pieceLine(int prompt, std::string_view text) {
    return common::JsonWriter()
        .beginObject()
        .field("prompt", int64_t(prompt))
        .field("text", text)
        .endObject()
        .take();
}

std::string promptDoneLine(int prompt, int64_t tokens, double seconds) {
    return common::JsonWriter()
        .beginObject()
        .field("prompt", int64_t(prompt))
        .field("done", true)
        .field("tokens", tokens)
        .field("seconds", seconds)
        .endObject()
        .take();
}

std::string finishedLine() {
    return common::JsonWriter().beginObject().field("finished", true).endObject().take();
}

std::string errorLine(std::string_view message) {
    return common::JsonWriter().beginObject().field("error", message).endObject().take();
}

GenerationLine parseGenerationLine(std::string_view line) {
    // One parser per thread, kept: its buffers are allocated once, not for every piece.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(simdjson::padded_string(line)).get(object))
        common::fail("not a generation line (a JSON object): {}", quoted(line));

    GenerationLine decoded;
    simdjson::dom::element value;
    if (!object["error"].get(value)) {
        std::string_view error;
        if (value.get(error)) badLine(line, "\"error\" must be a string");
        decoded.kind = GenerationLine::Kind::Error;
        decoded.error = std::string(error);
        return decoded;
    }
    if (!object["finished"].get(value)) {
        bool finished = false;
        if (value.get(finished) || !finished) badLine(line, "\"finished\" must be true");
        decoded.kind = GenerationLine::Kind::Finished;
        return decoded;
    }

    int64_t prompt;
    if (object["prompt"].get(prompt) || prompt < 0 || prompt > std::numeric_limits<int>::max())
        badLine(line, "needs a \"prompt\" index, or \"finished\" or \"error\"");
    GeneratedPiece& piece = decoded.piece;
    piece.prompt = int(prompt);
    if (!object["done"].get(value)) {
        if (value.get(piece.done) || !piece.done) badLine(line, "\"done\" must be true");
        if (object["tokens"].get(piece.tokens) || object["seconds"].get(piece.seconds))
            badLine(line, "the end of a prompt needs \"tokens\" and \"seconds\" numbers");
        return decoded;
    }
    std::string_view text;
    if (object["text"].get(text)) badLine(line, "a piece needs a \"text\" string, or \"done\"");
    piece.text = std::string(text);
    return decoded;
}

}  // namespace strata::proto
