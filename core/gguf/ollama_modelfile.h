// The Modelfile Ollama builds a model from (`ollama create NAME -f Modelfile`), written beside an
// exported GGUF: FROM the file (Ollama takes the chat template from its tokenizer.chat_template),
// a stop PARAMETER for each end-of-turn token, and the sampling defaults of the model's
// generation_config.json when it has one.
#pragma once

#include "core/model_spec/sampling_options.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::gguf {

std::string ollamaModelfile(std::string_view ggufFileName, const std::vector<std::string>& stops,
                            const std::optional<model_spec::SamplingOptions>& defaults);

}  // namespace strata::gguf
