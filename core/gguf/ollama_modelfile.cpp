#include "core/gguf/ollama_modelfile.h"

#include "core/common/json_writer.h"

#include <fmt/format.h>

namespace strata::gguf {

std::string ollamaModelfile(std::string_view ggufFileName, const std::vector<std::string>& stops,
                            const std::optional<model_spec::SamplingOptions>& defaults) {
    std::string text = fmt::format(
        "# Written by strata-cli export. In this folder: ollama create NAME -f Modelfile\n"
        "FROM ./{}\n",
        ggufFileName);
    // Quoted as JSON strings, which Ollama's parser reads ("<|im_end|>", "\n" escapes).
    for (const std::string& stop : stops)
        text += fmt::format("PARAMETER stop {}\n", common::quotedJson(stop));
    if (defaults) {
        text += fmt::format("PARAMETER temperature {}\n", defaults->temperature);
        if (defaults->topK > 0) text += fmt::format("PARAMETER top_k {}\n", defaults->topK);
        if (defaults->topP < 1) text += fmt::format("PARAMETER top_p {}\n", defaults->topP);
        if (defaults->repetitionPenalty != 1)
            text += fmt::format("PARAMETER repeat_penalty {}\n", defaults->repetitionPenalty);
    }
    return text;
}

}  // namespace strata::gguf
