// The architecture of a Strata language model: a decoder-only Transformer whose feed-forward
// blocks are dense SwiGLU or Mixture-of-Experts (isMoeLayer), with grouped-query attention or
// DeepSeek's multi-head latent attention. The same struct holds the models Strata imports
// (Llama, Mistral, Qwen2/3, Qwen3-MoE, Mixtral, DeepSeek-V3: `family` says which, so export
// writes the same architecture back), with their variations: projection biases, query/key norms,
// scaled rotary embeddings, grouped expert routing. One plain struct per component, read from the
// [model] table of a TOML config; readModelConfig() validates everything at once, so an
// impossible shape is reported before any tensor exists. defaultModelConfigText() documents every
// key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::common {
class ConfigReader;
class ConfigValidator;
}  // namespace strata::common

namespace strata::model_spec {

enum class AttentionKind { Gqa, Mla };
enum class RouterScoring { Softmax, Sigmoid };
// The Hugging Face architecture a model has: Strata for the models Strata designs (exported as the
// architecture that holds them), otherwise the one it was imported as.
enum class ModelFamily { Strata, Llama, Mistral, Qwen2, Qwen3, Qwen3Moe, Mixtral, DeepseekV3 };
// model.family's values, in the enum's order: config.json's model_type for the imported families.
inline constexpr const char* kModelFamilyNames[] = {
    "strata", "llama", "mistral", "qwen2", "qwen3", "qwen3_moe", "mixtral", "deepseek_v3"};
// Rotary embeddings stretched beyond the context a model was pretrained on.
enum class RopeScalingKind { None, Linear, Llama3, Yarn };

// transformers' rope_parameters for the scaled kinds; unused keys keep their defaults.
struct RopeScaling {
    RopeScalingKind kind = RopeScalingKind::None;
    double factor = 1.0;
    int originalContextLength = 0;  // Llama3, Yarn: the pretraining context
    double lowFreqFactor = 1.0;     // Llama3
    double highFreqFactor = 4.0;    // Llama3
    double betaFast = 32.0;         // Yarn: the ramp between extrapolated and interpolated
    double betaSlow = 1.0;          //   frequencies
    double mscale = 0.0;            // Yarn: 0 when absent
    double mscaleAllDim = 0.0;      // Yarn: 0 when absent; DeepSeek also scales attention by it
    double attentionFactor = 0.0;   // Yarn: cos/sin scale; 0 derives it from factor and mscales
    bool truncate = true;           // Yarn: round the ramp's ends to whole dimensions
    bool operator==(const RopeScaling&) const = default;
};

struct AttentionConfig {
    AttentionKind kind = AttentionKind::Gqa;
    int numHeads = 8;
    int numKvHeads = 8;  // GQA: key/value heads shared by numHeads / numKvHeads query heads
    int headDim = 0;     // GQA: 0 means dModel / numHeads
    double ropeBase = 10000.0;
    RopeScaling ropeScaling;
    int slidingWindow = 0;  // 0: full causal attention; otherwise each token sees this many
    // GQA: biases on the query/key/value projections (Qwen2) and on the output one (Llama's
    // attention_bias sets both), and RMSNorm of each query and key head before rotation (Qwen3).
    bool qkvBias = false;
    bool outputBias = false;
    bool qkNorm = false;
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
    bool normalizeTopK = true;     // the k chosen weights sum to 1 (before routedScaling)
    double routedScaling = 1.0;    // DeepSeek-V3: the routed experts' weights times this
    // DeepSeek-V3's group-limited routing: experts form numGroups groups, and only the experts
    // of the topKGroups best groups (by their two best scores) can be chosen.
    int numGroups = 1;
    int topKGroups = 1;
    bool operator==(const MoeConfig&) const = default;
};

struct ModelConfig {
    ModelFamily family = ModelFamily::Strata;
    int vocabSize = 8192;
    int dModel = 256;
    int numLayers = 4;
    int contextLength = 512;
    double normEps = 1e-6;
    bool tiedEmbeddings = false;
    int numDenseLayers = 1;   // leading layers with a dense SwiGLU block instead of MoE
    int denseHiddenSize = 0;  // 0: 4 * dModel * 2 / 3 rounded up to a multiple of 64
    // Qwen-MoE's layout: of the layers after the leading dense ones, every moeLayerStep-th
    // (counting from 1) is MoE, except those listed in denseLayers.
    int moeLayerStep = 1;
    std::vector<int> denseLayers;
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
    bool isMoeLayer(int layer) const;
    int numMoeLayers() const;
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
