#include "core/model_spec/model_size.h"

#include "core/model_spec/model_shapes.h"

#include <algorithm>
#include <string>
#include <vector>

namespace strata::model_spec {

namespace {

// Query/key and value sizes of one attention head, and the key/value heads, of either kind.
struct HeadShape {
    uint64_t qkDim;
    uint64_t vDim;
    uint64_t numKvHeads;
};

HeadShape headShape(const ModelConfig& c) {
    const AttentionConfig& a = c.attention;
    if (a.kind == AttentionKind::Mla)
        return {uint64_t(a.qkNopeHeadDim + a.qkRopeHeadDim), uint64_t(a.vHeadDim),
                uint64_t(a.numHeads)};
    uint64_t headDim = uint64_t(c.resolvedHeadDim());
    return {headDim, headDim, uint64_t(a.numKvHeads)};
}

uint64_t attentionParameters(const ModelConfig& c) {
    const AttentionConfig& a = c.attention;
    uint64_t d = uint64_t(c.dModel), heads = uint64_t(a.numHeads);
    HeadShape shape = headShape(c);
    if (a.kind == AttentionKind::Gqa) {
        uint64_t projected = heads * shape.qkDim + 2 * shape.numKvHeads * shape.qkDim;
        return d * projected + heads * shape.vDim * d + (a.qkvBias ? projected : 0) +
               (a.outputBias ? d : 0) + (a.qkNorm ? 2 * shape.qkDim : 0);
    }
    uint64_t qRank = uint64_t(a.qLoraRank), kvRank = uint64_t(a.kvLoraRank);
    uint64_t query =
        qRank > 0 ? d * qRank + qRank + qRank * heads * shape.qkDim : d * heads * shape.qkDim;
    uint64_t keyValue = d * (kvRank + uint64_t(a.qkRopeHeadDim)) + kvRank +
                        kvRank * heads * (uint64_t(a.qkNopeHeadDim) + shape.vDim);
    return query + keyValue + heads * shape.vDim * d;
}

uint64_t swigluParameters(uint64_t d, uint64_t hidden) {
    return 3 * d * hidden;
}

uint64_t attendedLength(const ModelConfig& c, int seqLen) {
    int window = c.attention.slidingWindow;
    return uint64_t(window > 0 ? std::min(window, seqLen) : seqLen);
}

// The weight shapes of the projections LoRA adapts, as lora.h chooses them: the Linear layers of
// the blocks, which are the two-dimensional ".weight" tensors there, the routers' excepted.
std::vector<std::vector<int64_t>> loraProjections(const ModelConfig& config) {
    std::vector<std::vector<int64_t>> projections;
    for (const auto& [name, shape] : modelTensorShapes(config))
        if (name.starts_with("block") && name.ends_with(".weight") && shape.size() == 2 &&
            name.find(".router.") == std::string::npos)
            projections.push_back(shape);
    return projections;
}

}  // namespace

ParameterCounts countParameters(const ModelConfig& c) {
    ParameterCounts p;
    uint64_t d = uint64_t(c.dModel), vocab = uint64_t(c.vocabSize);
    uint64_t layers = uint64_t(c.numLayers), moeLayers = uint64_t(c.numMoeLayers());
    uint64_t denseLayers = layers - moeLayers;
    uint64_t expert = swigluParameters(d, uint64_t(c.resolvedExpertHiddenSize()));
    p.embedding = vocab * d;
    p.outputHead = c.tiedEmbeddings ? 0 : vocab * d;
    p.attention = layers * attentionParameters(c);
    p.denseFfn = denseLayers * swigluParameters(d, uint64_t(c.resolvedDenseHiddenSize()));
    p.routedExperts = moeLayers * uint64_t(c.moe.numRoutedExperts) * expert;
    p.sharedExperts = moeLayers * uint64_t(c.moe.numSharedExperts) * expert;
    p.routers = moeLayers * d * uint64_t(c.moe.numRoutedExperts);
    p.norms = layers * 2 * d + d;
    p.activePerToken = p.total() - p.routedExperts + moeLayers * uint64_t(c.moe.topK) * expert;
    return p;
}

double trainingFlopsPerToken(const ModelConfig& c, int seqLen) {
    ParameterCounts p = countParameters(c);
    // Every active weight but the embedding lookup and the norms' scales is in a matrix product;
    // a tied embedding still serves as the output projection.
    uint64_t matmulWeights =
        p.activePerToken - p.embedding - p.norms + (c.tiedEmbeddings ? p.embedding : 0);
    HeadShape shape = headShape(c);
    double attention = 6.0 * double(c.numLayers) * double(c.attention.numHeads) *
                       double(shape.qkDim + shape.vDim) * double(attendedLength(c, seqLen));
    return 6.0 * double(matmulWeights) + attention;
}

MemoryEstimate estimateTrainingMemory(const ModelConfig& c, int batchSize, int seqLen,
                                      int activationBytes, bool storesAttentionScores) {
    ParameterCounts p = countParameters(c);
    MemoryEstimate m;
    m.parameters = 4 * p.total();
    m.gradients = 4 * p.total();
    m.optimizer = 8 * p.total();

    // Values kept for backward per token and layer, counted by tensor.
    const AttentionConfig& a = c.attention;
    uint64_t d = uint64_t(c.dModel), heads = uint64_t(a.numHeads);
    HeadShape shape = headShape(c);
    uint64_t attention = d /* norm input */ + heads * shape.qkDim /* queries */ +
                         shape.numKvHeads * (shape.qkDim + shape.vDim) /* keys, values */ +
                         heads * shape.vDim /* attention output */;
    if (a.kind == AttentionKind::Mla)
        attention += uint64_t(a.qLoraRank + a.kvLoraRank + a.qkRopeHeadDim);
    if (storesAttentionScores) attention += heads * attendedLength(c, seqLen);
    auto swiglu = [&](uint64_t hidden) {
        return d /* input */ + 3 * hidden /* gate, up, product */;
    };
    uint64_t expertsPerToken = uint64_t(c.moe.topK + c.moe.numSharedExperts);
    uint64_t moeFfn = d + expertsPerToken * swiglu(uint64_t(c.resolvedExpertHiddenSize()));
    uint64_t denseFfn = d + swiglu(uint64_t(c.resolvedDenseHiddenSize()));
    uint64_t perToken = uint64_t(c.numLayers) * (attention + d /* residual */) +
                        uint64_t(c.numLayers - c.numMoeLayers()) * denseFfn +
                        uint64_t(c.numMoeLayers()) * moeFfn;
    uint64_t tokens = uint64_t(batchSize) * uint64_t(seqLen);
    // Logits and their gradient stay fp32 for the loss whatever the autocast.
    uint64_t logits = 2 * 4 * uint64_t(c.vocabSize);
    m.activations = tokens * (perToken * uint64_t(activationBytes) + logits);
    uint64_t largestBlock =
        attention + d + (c.numMoeLayers() > 0 ? std::max(moeFfn, denseFfn) : denseFfn);
    m.checkpointedActivations =
        tokens * ((uint64_t(c.numLayers) * d + largestBlock) * uint64_t(activationBytes) + logits);
    return m;
}

uint64_t countLoraParameters(const ModelConfig& config, int rank) {
    uint64_t total = 0;
    for (const std::vector<int64_t>& shape : loraProjections(config))
        total += uint64_t(rank) * uint64_t(shape[0] + shape[1]);
    return total;
}

MemoryEstimate estimateLoraTrainingMemory(const ModelConfig& config, int rank, int batchSize,
                                          int seqLen, int activationBytes,
                                          bool storesAttentionScores) {
    MemoryEstimate full =
        estimateTrainingMemory(config, batchSize, seqLen, activationBytes, storesAttentionScores);
    uint64_t adapters = countLoraParameters(config, rank);
    uint64_t tokens = uint64_t(batchSize) * uint64_t(seqLen);
    MemoryEstimate m;
    m.parameters = full.parameters + 4 * adapters;
    m.gradients = 4 * adapters;
    m.optimizer = 8 * adapters;
    uint64_t rankWide = tokens * uint64_t(rank) * uint64_t(activationBytes);
    uint64_t projections = uint64_t(loraProjections(config).size());
    m.activations = full.activations + projections * rankWide;
    // One block's adapters at a time.
    m.checkpointedActivations =
        full.checkpointedActivations +
        (projections + uint64_t(config.numLayers) - 1) / uint64_t(config.numLayers) * rankWide;
    return m;
}

}  // namespace strata::model_spec
