#include "core/model/next_token_logprobs.h"

#include <torch/torch.h>

namespace strata::model {

namespace {

// Positions whose logits exist at once: 256 x a 150k vocabulary is 150 MB of float32.
constexpr int64_t kPositionsPerChunk = 256;

}  // namespace

torch::Tensor nextTokenLogProbs(Transformer& model, const torch::Tensor& tokens_BT) {
    TORCH_CHECK(tokens_BT.dim() == 2 && tokens_BT.size(1) >= 2,
                "nextTokenLogProbs needs (B,T) tokens with T >= 2, got ", tokens_BT.sizes());
    torch::NoGradGuard noGrad;
    int64_t batch = tokens_BT.size(0), length = tokens_BT.size(1) - 1;
    torch::Tensor hidden_BTD = model->forwardHidden(tokens_BT).hidden_BTD.narrow(1, 0, length);
    torch::Tensor targets_BT = tokens_BT.narrow(1, 1, length);
    const torch::Tensor& weight_VD = model->outputWeight();
    int64_t rowsPerChunk = std::max<int64_t>(1, kPositionsPerChunk / batch);
    std::vector<torch::Tensor> chunks;
    for (int64_t start = 0; start < length; start += rowsPerChunk) {
        int64_t size = std::min(rowsPerChunk, length - start);
        torch::Tensor logits =
            torch::matmul(hidden_BTD.narrow(1, start, size), weight_VD.t()).to(torch::kFloat32);
        torch::Tensor targets = targets_BT.narrow(1, start, size).unsqueeze(-1);
        chunks.push_back(torch::log_softmax(logits, -1).gather(-1, targets).squeeze(-1));
    }
    return torch::cat(chunks, 1);
}

}  // namespace strata::model
