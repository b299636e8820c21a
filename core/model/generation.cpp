#include "core/model/generation.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

namespace strata::model {

int64_t sampleToken(const torch::Tensor& logits_V, const std::vector<int64_t>& previous,
                    const SamplingOptions& options, at::Generator& generator) {
    torch::Tensor logits = logits_V.to(torch::kFloat32).to(torch::kCPU).clone();
    if (options.repetitionPenalty != 1.0 && !previous.empty()) {
        std::vector<int64_t> distinct = previous;
        std::sort(distinct.begin(), distinct.end());
        distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
        torch::Tensor seen = torch::tensor(distinct, torch::kLong);
        torch::Tensor values = logits.index_select(0, seen);
        values = torch::where(values > 0, values / options.repetitionPenalty,
                              values * options.repetitionPenalty);
        logits.index_copy_(0, seen, values);
    }
    if (options.temperature <= 0) return logits.argmax().item<int64_t>();
    logits /= options.temperature;
    if (options.topK > 0 && options.topK < logits.size(0)) {
        double kth = std::get<0>(logits.topk(options.topK)).min().item<double>();
        logits.masked_fill_(logits < kth, -INFINITY);
    }
    torch::Tensor probs = torch::softmax(logits, -1);
    if (options.topP < 1.0) {
        auto [sorted, order] = probs.sort(-1, /*descending=*/true);
        // Keep a token while the mass before it is below p: the first one always stays.
        torch::Tensor before = sorted.cumsum(-1) - sorted;
        sorted.masked_fill_(before >= options.topP, 0.0);
        probs = torch::zeros_like(probs).scatter_(0, order, sorted);
    }
    return torch::multinomial(probs, 1, /*replacement=*/false, generator).item<int64_t>();
}

std::vector<int64_t> generate(Transformer& model, const std::vector<int64_t>& prompt,
                              const SamplingOptions& options,
                              const std::function<bool(int64_t)>& onToken) {
    TORCH_CHECK(!prompt.empty(), "generate needs at least one prompt token");
    torch::NoGradGuard noGrad;
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    torch::Device device = model->embedding->weight.device();
    KvCache cache;
    std::vector<int64_t> seen = prompt, produced;
    torch::Tensor input = torch::tensor(prompt, torch::kLong).unsqueeze(0).to(device);
    int64_t room = model->config().contextLength - int64_t(prompt.size());
    for (int step = 0; step < options.maxNewTokens && step <= room - 1; ++step) {
        torch::Tensor logits_BTV = model->forward(input, &cache).logits_BTV;
        int64_t token = sampleToken(logits_BTV[0][-1], seen, options, generator);
        produced.push_back(token);
        seen.push_back(token);
        bool more = !onToken || onToken(token);
        bool stop = std::find(options.stopTokens.begin(), options.stopTokens.end(), token) !=
                    options.stopTokens.end();
        if (!more || stop || step == room - 1) break;
        input = torch::tensor({token}, torch::kLong).view({1, 1}).to(device);
    }
    return produced;
}

torch::Tensor continuationLogProbs(Transformer& model,
                                   const std::vector<std::vector<int64_t>>& prompts,
                                   const std::vector<std::vector<int64_t>>& continuations) {
    TORCH_CHECK(prompts.size() == continuations.size() && !prompts.empty(),
                "continuationLogProbs needs as many prompts as continuations");
    int64_t batch = int64_t(prompts.size()), length = 0;
    for (int64_t i = 0; i < batch; ++i) {
        TORCH_CHECK(!prompts[i].empty() && !continuations[i].empty(), "pair ", i,
                    " has an empty prompt or continuation");
        length =
            std::max<int64_t>(length, int64_t(prompts[i].size() + continuations[i].size()) - 1);
    }
    // Row i: prompt + continuation without its last token as input, the next tokens as targets;
    // only continuation targets count. Right padding cannot reach earlier positions.
    torch::Tensor inputs = torch::zeros({batch, length}, torch::kLong);
    torch::Tensor targets = torch::zeros({batch, length}, torch::kLong);
    torch::Tensor counted = torch::zeros({batch, length}, torch::kFloat32);
    for (int64_t i = 0; i < batch; ++i) {
        std::vector<int64_t> sequence = prompts[i];
        sequence.insert(sequence.end(), continuations[i].begin(), continuations[i].end());
        int64_t n = int64_t(sequence.size()) - 1;
        torch::Tensor row = torch::tensor(sequence, torch::kLong);
        inputs[i].narrow(0, 0, n).copy_(row.narrow(0, 0, n));
        targets[i].narrow(0, 0, n).copy_(row.narrow(0, 1, n));
        counted[i]
            .narrow(0, int64_t(prompts[i].size()) - 1, int64_t(continuations[i].size()))
            .fill_(1.0);
    }
    torch::Device device = model->embedding->weight.device();
    torch::Tensor logProbs_BTV =
        torch::log_softmax(model->forward(inputs.to(device)).logits_BTV.to(torch::kFloat32), -1);
    torch::Tensor chosen_BT = logProbs_BTV.gather(2, targets.to(device).unsqueeze(2)).squeeze(2);
    return (chosen_BT * counted.to(device)).sum(1);
}

}  // namespace strata::model
