#include "core/align/response_batch.h"

#include "core/model/linear_cross_entropy.h"
#include "core/train/devices.h"

#include <torch/torch.h>

#include <algorithm>

namespace strata::align {

ResponseBatch makeResponseBatch(const std::vector<TokenIds>& prompts,
                                const std::vector<TokenIds>& responses, int64_t maxLength,
                                const torch::Device& device) {
    TORCH_CHECK(prompts.size() == responses.size() && !prompts.empty() && maxLength >= 2,
                "makeResponseBatch needs as many prompts as responses");
    const int64_t batch = int64_t(prompts.size());
    std::vector<TokenIds> rows(prompts.size());
    std::vector<int64_t> promptLengths(prompts.size());
    int64_t width = 0;
    for (size_t b = 0; b < prompts.size(); ++b) {
        int64_t response = std::min<int64_t>(int64_t(responses[b].size()), maxLength - 1);
        int64_t prompt = std::min<int64_t>(int64_t(prompts[b].size()), maxLength - response);
        rows[b].assign(prompts[b].end() - prompt, prompts[b].end());
        rows[b].insert(rows[b].end(), responses[b].begin(), responses[b].begin() + response);
        promptLengths[b] = prompt;
        width = std::max<int64_t>(width, int64_t(rows[b].size()));
    }
    width = std::max<int64_t>(width, 2);
    ResponseBatch out;
    out.tokens_BT = torch::zeros({batch, width}, torch::kLong);
    out.mask_BT1 = torch::zeros({batch, width - 1}, torch::kFloat32);
    out.lastIndex_B = torch::zeros({batch}, torch::kLong);
    std::vector<int64_t> responseRows, responsePositions;
    for (int64_t b = 0; b < batch; ++b) {
        const TokenIds& row = rows[size_t(b)];
        int64_t length = int64_t(row.size()), prompt = promptLengths[size_t(b)];
        out.tokens_BT[b].narrow(0, 0, length).copy_(torch::tensor(row, torch::kLong));
        if (length > prompt && prompt > 0) {
            out.mask_BT1[b].narrow(0, prompt - 1, length - prompt).fill_(1.0);
            for (int64_t t = prompt - 1; t < length - 1; ++t) {
                responseRows.push_back(b);
                responsePositions.push_back(t);
            }
        }
        out.lastIndex_B[b] = length - 1;
        out.responseTokens += length - prompt;
        out.tokens += length;
    }
    out.tokens_BT = train::copyToDevice(out.tokens_BT, device);
    out.mask_BT1 = train::copyToDevice(out.mask_BT1, device);
    out.lastIndex_B = train::copyToDevice(out.lastIndex_B, device);
    out.responseRow_R = train::copyToDevice(torch::tensor(responseRows, torch::kLong), device);
    out.responsePosition_R =
        train::copyToDevice(torch::tensor(responsePositions, torch::kLong), device);
    return out;
}

TokenScores tokenScores(model::Transformer& model, const torch::Tensor& hidden_BTD,
                        const torch::Tensor& tokens_BT, double temperature) {
    const int64_t rows = tokens_BT.size(0), length = tokens_BT.size(1) - 1;
    model::TokenLogProbs scores = model::linearTokenLogProbs(
        hidden_BTD.narrow(1, 0, length).reshape({rows * length, -1}), model->outputWeight(),
        tokens_BT.narrow(1, 1, length).reshape({-1}), temperature);
    return {scores.logProbs_N.view({rows, length}), scores.entropy_N.view({rows, length})};
}

torch::Tensor responseLogProbs(model::Transformer& model, const ResponseBatch& batch) {
    // Only the response tokens go through the output projection, in chunks
    // (linear_cross_entropy.h): no (tokens x vocabulary) logits.
    torch::Tensor hidden_BTD = model->forwardHidden(batch.tokens_BT).hidden_BTD;
    const int64_t rows = hidden_BTD.size(0), width = hidden_BTD.size(1);
    const torch::Tensor &row_R = batch.responseRow_R, &position_R = batch.responsePosition_R;
    torch::Tensor hidden_RD =
        hidden_BTD.reshape({rows * width, -1}).index_select(0, row_R * width + position_R);
    torch::Tensor targets_R =
        batch.tokens_BT.reshape({-1}).index_select(0, row_R * width + position_R + 1);
    torch::Tensor logProbs_R =
        model::linearTokenLogProbs(hidden_RD, model->outputWeight(), targets_R).logProbs_N;
    return torch::zeros({rows}, logProbs_R.options()).index_add(0, row_R, logProbs_R);
}

}  // namespace strata::align
