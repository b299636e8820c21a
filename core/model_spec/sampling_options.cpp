#include "core/model_spec/sampling_options.h"

#include "core/common/error.h"

namespace strata::model_spec {

using common::fail;

SamplingOptions defaultSamplingOptions() {
    SamplingOptions options;
    options.maxNewTokens = 64;
    options.temperature = 0.8;
    options.topK = 50;
    options.topP = 0.95;
    options.repetitionPenalty = 1.1;
    return options;
}

void checkSamplingOptions(const SamplingOptions& options) {
    if (options.maxNewTokens < 1)
        fail("max_new_tokens must be positive, not {}", options.maxNewTokens);
    if (!(options.temperature >= 0))
        fail("temperature must be at least 0, not {}", options.temperature);
    if (options.topK < 0) fail("top_k must be at least 0, not {}", options.topK);
    if (!(options.topP > 0 && options.topP <= 1))
        fail("top_p must be in (0, 1], not {}", options.topP);
    if (!(options.repetitionPenalty > 0))
        fail("repetition_penalty must be positive, not {}", options.repetitionPenalty);
}

}  // namespace strata::model_spec
