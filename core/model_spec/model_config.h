// The architecture of a Strata language model: a decoder-only Transformer whose feed-forward
// blocks are Mixture-of-Experts after numDenseLayers dense ones, with grouped-query attention or
// DeepSeek's multi-head latent attention. One plain struct per component, read from the [model]
// table of a TOML config; readModelConfig() validates everything at once, so an impossible shape
// is reported before any tensor exists. defaultModelConfigText() documents every key.
#pragma once

#include <cstdint>
#include <string>

namespace strata::common {
class ConfigReader;
class ConfigValidator;
}  // namespace strata::common

namespace strata::model_spec {

enum class AttentionKind { Gqa, Mla };
enum class RouterScoring { Softmax, Sigmoid };

struct AttentionConfig {
    AttentionKind kind = AttentionKind::Gqa;
    int numHeads = 8;
    int numKvHeads = 8;  // GQA: key/value heads shared by numHeads / numKvHeads query heads
    int headDim = 0;     // GQA: 0 means dModel / numHeads
    double ropeBase = 10000.0;
    int slidingWindow = 0;  // 0: full causal attention; otherwise each token sees this many
    // MLA (DeepSeek-V2/V3): queries and keys/values pass through low-rank latents.
    int qLoraRank = 0;  // 0: queries are projected directly
    int kvLoraRank = 128;
    int qkNopeHeadDim = 32;  // the part of each query/key head without rotary embedding
    int qkRopeHeadDim = 16;  // the decoupled rotary part, one key shared by all heads
    int vHeadDim = 32;
    bool operator==(const AttentionConfig&) const = default;
};

struct MoeConfig {
    int numRoutedExperts = 8;
    int numSharedExperts = 1;  // always active, beside the routed ones
    int topK = 2;
    int expertHiddenSize = 0;  // SwiGLU hidden size of one expert; 0 means dModel
    RouterScoring scoring = RouterScoring::Softmax;
    double auxLossCoef = 0.01;     // load-balancing auxiliary loss; 0 turns it off
    double biasUpdateSpeed = 0.0;  // DeepSeek-V3's auxiliary-loss-free bias; 0 turns it off
    double capacityFactor = 0.0;   // 0: no capacity limit; otherwise tokens beyond it are dropped
    double zLossCoef = 0.001;      // router z-loss; 0 turns it off
    bool operator==(const MoeConfig&) const = default;
};

struct ModelConfig {
    int vocabSize = 8192;
    int dModel = 256;
    int numLayers = 4;
    int contextLength = 512;
    double normEps = 1e-6;
    bool tiedEmbeddings = false;
    int numDenseLayers = 1;   // leading layers with a dense SwiGLU block instead of MoE
    int denseHiddenSize = 0;  // 0: 4 * dModel * 2 / 3 rounded up to a multiple of 64
    AttentionConfig attention;
    MoeConfig moe;
    bool operator==(const ModelConfig&) const = default;

    // The sizes in effect, where the config leaves them to be derived (0).
    int resolvedHeadDim() const {
        return attention.headDim > 0 ? attention.headDim : dModel / attention.numHeads;
    }
    int resolvedExpertHiddenSize() const {
        return moe.expertHiddenSize > 0 ? moe.expertHiddenSize : dModel;
    }
    int resolvedDenseHiddenSize() const;
    bool isMoeLayer(int layer) const { return layer >= numDenseLayers; }
};

// Reads the [model] table (absent keys keep `defaults`) and validates the whole model; throws
// common::Error listing every problem with its file:line and key. Does not call
// reader.finish(): the model is one table of larger run configs.
ModelConfig readModelConfig(common::ConfigReader& reader, const ModelConfig& defaults = {});
// The same, recording every problem with `validator` for the caller to report together with
// the rest of a larger config.
ModelConfig readModelConfig(common::ConfigReader& reader, common::ConfigValidator& validator,
                            const ModelConfig& defaults = {});

// The default [model] table as commented TOML: what `strata-cli model --print-default-config`
// prints, and the reference for every key.
std::string defaultModelConfigText();
// The same commented table with the values of `config`: how run.toml and checkpoints record the
// model, so readModelConfig() reads it back equal.
std::string modelConfigText(const ModelConfig& config);

}  // namespace strata::model_spec
