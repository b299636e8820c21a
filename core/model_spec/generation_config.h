// The sampling defaults a Hugging Face model ships in generation_config.json, as Strata's
// SamplingOptions: what `strata-cli generate` starts from for an imported model, so that it
// samples as transformers' `generate` would with no arguments. LibTorch-free like
// sampling_options.h.
#pragma once

#include "core/model_spec/sampling_options.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::model_spec {

// Reads generation_config.json the way transformers does: absent keys take transformers'
// defaults (do_sample false, temperature 1, top_k 50, top_p 1, repetition_penalty 1), do_sample
// false means greedy (temperature 0), eos_token_id (one id or a list) become stop tokens, and
// max_new_tokens, when the file has it, replaces `base`'s (max_length, a total length, is left to
// the context limit). Bad JSON or a value of the wrong type or range is a common::Error naming
// the file and the key.
struct GenerationDefaults {
    SamplingOptions options;
    // Settings the file asks for that Strata's sampler does not have (beam search, min_p, ...),
    // by key: the caller says they are not followed rather than failing a usable model.
    std::vector<std::string> unfollowed;
};
GenerationDefaults parseGenerationConfig(std::string_view text, const std::string& file,
                                         const SamplingOptions& base);

// The same for a folder's generation_config.json; nothing when the folder has none.
std::optional<GenerationDefaults> readGenerationConfig(const std::filesystem::path& folder,
                                                       const SamplingOptions& base);

}  // namespace strata::model_spec
