#include "core/proto/generation_job.h"

#include "core/common/error.h"
#include "core/data/prompt_set.h"
#include "core/proto/generation_lines.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace strata::proto {

namespace {

// CPU threads per generation: half the cores, so the two sides of a comparison (the Playground,
// pair generation) never ask for more threads than there are cores. Oversubscribed OpenMP
// threads spin against each other and made two side-by-side generations 60 times slower.
std::string threadsPerGeneration() {
    return std::to_string(std::max(1u, std::thread::hardware_concurrency() / 2));
}

std::vector<std::string> generateCommand(const std::filesystem::path& cli,
                                         const std::filesystem::path& checkpoint,
                                         const GenerateSpec& spec) {
    const model_spec::SamplingOptions& options = spec.sampling;
    std::vector<std::string> command{cli.string(),
                                     "generate",
                                     "--checkpoint",
                                     checkpoint.string(),
                                     "--prompts",
                                     "-",
                                     "--json",
                                     "--max-new-tokens",
                                     std::to_string(options.maxNewTokens),
                                     "--temperature",
                                     fmt::format("{}", options.temperature),
                                     "--top-k",
                                     std::to_string(options.topK),
                                     "--top-p",
                                     fmt::format("{}", options.topP),
                                     "--repetition-penalty",
                                     fmt::format("{}", options.repetitionPenalty),
                                     "--seed",
                                     std::to_string(options.seed),
                                     "--threads",
                                     threadsPerGeneration()};
    if (spec.chat) command.push_back("--chat");
    if (!spec.history.empty()) {
        command.push_back("--history");
        command.push_back(chatTurnsJson(spec.history));
    }
    return command;
}

}  // namespace

GenerationJob::GenerationJob(int64_t id, const std::filesystem::path& cli,
                             const std::filesystem::path& checkpoint, const GenerateSpec& spec)
    : m_id(id), m_process(generateCommand(cli, checkpoint, spec)), m_reader(m_process.outputFd()) {
    std::string prompts;
    for (const std::string& prompt : spec.prompts)
        prompts += data::promptLine(prompt);
    // A child that failed before reading (a bad checkpoint) reports that on exit; the write's
    // own failure says nothing more.
    m_process.write(prompts);
    m_process.closeInput();
}

GenerationJob::~GenerationJob() {
    m_process.kill();
}

bool GenerationJob::read(std::vector<std::string>& messages) {
    std::vector<Line> lines;
    bool open = m_reader.readSome(lines);
    for (const Line& line : lines) {
        if (line.oversized) continue;
        GenerationLine decoded;
        try {
            decoded = parseGenerationLine(line.text);
        } catch (const common::Error&) {
            // A stray line on the command's stdout (a library's notice) is not relayed: it would
            // break the client's parse of the generation.
            continue;
        }
        // The child's error goes out once it has exited, as the generation's end.
        if (decoded.kind == GenerationLine::Kind::Error)
            m_error = decoded.error;
        else if (decoded.kind == GenerationLine::Kind::Piece)
            messages.push_back(generatedMessage(m_id, line.text));
    }
    if (open) return true;
    int exitCode = m_process.wait();
    m_process.drainErrors();
    if (exitCode != 0 && m_error.empty()) {
        // A child that died without its error line (a crash, a kill) leaves its last word on
        // stderr.
        m_error = m_process.lastErrorLine();
        if (m_error.empty()) m_error = "generation ended without a word";
    }
    messages.push_back(generatedMessage(m_id, exitCode == 0 ? finishedLine() : errorLine(m_error)));
    return false;
}

}  // namespace strata::proto
