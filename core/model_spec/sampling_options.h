// How text is sampled from a model: what `strata-cli generate` takes as flags, the worker
// protocol's generate request carries, and the studio's Playground edits. LibTorch-free, so the
// protocol and the GUI can check settings before any model is loaded.
#pragma once

#include <cstdint>
#include <vector>

namespace strata::model_spec {

struct SamplingOptions {
    int maxNewTokens = 64;
    double temperature = 1.0;  // 0: greedy
    int topK = 0;              // 0: no limit
    double topP = 1.0;         // 1: no limit
    double repetitionPenalty = 1.0;
    std::vector<int64_t> stopTokens;  // generation ends after producing one of these
    uint64_t seed = 0;
};

// The defaults a person generating text starts from (the CLI's and the Playground's): a little
// randomness, the 50 most likely tokens, nucleus 0.95, a mild repetition penalty.
SamplingOptions defaultSamplingOptions();

// Throws common::Error with a one-line reason ("temperature must be at least 0, not -1") when a
// setting is out of its range.
void checkSamplingOptions(const SamplingOptions& options);

}  // namespace strata::model_spec
