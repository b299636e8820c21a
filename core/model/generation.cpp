#include "core/model/generation.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>

#include <algorithm>
#include <optional>

namespace strata::model {

namespace {

// A generator for sampling on `device`, seeded: the same seed gives the same tokens on a device.
at::Generator seededGenerator(const torch::Device& device, uint64_t seed) {
    if (device.is_cpu()) return at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Generator generator = at::globalContext()
                                  .getAcceleratorHooksInterface(device.type())
                                  .getNewGenerator(device.index());
    generator.set_current_seed(seed);
    return generator;
}

// Where generation stands for every row of a batch.
class BatchDecoder {
public:
    BatchDecoder(Transformer& model, const std::vector<std::vector<int64_t>>& prompts,
                 const model_spec::SamplingOptions& options)
        : m_model(model),
          m_options(options),
          m_device(model->embedding->weight.device()),
          m_generator(seededGenerator(m_device, options.seed)),
          m_produced(prompts.size()),
          m_done(prompts.size(), false) {
        int64_t batch = int64_t(prompts.size()), width = 0;
        std::vector<int64_t> lengths;
        for (const std::vector<int64_t>& prompt : prompts) {
            TORCH_CHECK(!prompt.empty(), "generate needs at least one prompt token");
            lengths.push_back(int64_t(prompt.size()));
            width = std::max(width, lengths.back());
        }
        // Equal lengths need no padding, and so no layout: the plain causal path is faster.
        bool padded = std::any_of(lengths.begin(), lengths.end(),
                                  [&](int64_t length) { return length != width; });
        m_input = torch::zeros({batch, width}, torch::kLong);
        for (int64_t b = 0; b < batch; ++b)
            m_input[b]
                .narrow(0, width - lengths[size_t(b)], lengths[size_t(b)])
                .copy_(torch::tensor(prompts[size_t(b)], torch::kLong));
        m_input = m_input.to(m_device);
        // Padding (token 0) is not seen: each row marks its own prompt.
        m_seen =
            torch::zeros({batch, model->config().vocabSize}, m_input.options().dtype(torch::kBool));
        for (int64_t b = 0; b < batch; ++b)
            m_seen[b].index_fill_(
                0, m_input[b].narrow(0, width - lengths[size_t(b)], lengths[size_t(b)]), true);
        if (padded) {
            m_layout = leftPaddedLayout(lengths, width);
            m_nextPosition_B1 = torch::tensor(lengths, torch::kLong).unsqueeze(1).to(m_device);
        }
        m_room = model->config().contextLength - width;
        m_cache = KvCache(width + std::min<int64_t>(m_room, options.maxNewTokens));
    }

    // Runs one step for every row; false when every row is done.
    bool step(const std::function<void(size_t, int64_t)>& onToken) {
        if (m_steps >= m_options.maxNewTokens || m_steps >= m_room) return false;
        // Only the last position's logits: a long prompt never holds (tokens x vocabulary).
        torch::Tensor last_BD =
            m_model->forwardHidden(m_input, &m_cache, m_layout ? &*m_layout : nullptr)
                .hidden_BTD.select(1, -1);
        torch::Tensor logits_BV = torch::matmul(last_BD, m_model->outputWeight().t());
        torch::Tensor next_B = sampleTokens(logits_BV, m_seen, m_options, m_generator);
        m_seen.scatter_(1, next_B.unsqueeze(1), true);
        ++m_steps;
        // The one read of a step: the tokens go to the caller and decide who stops.
        torch::Tensor nextOnHost_B = next_B.cpu();
        const int64_t* next = nextOnHost_B.data_ptr<int64_t>();
        bool anyLeft = false;
        for (size_t b = 0; b < m_produced.size(); ++b) {
            if (m_done[b]) continue;
            m_produced[b].push_back(next[b]);
            if (onToken) onToken(b, next[b]);
            bool stop = std::find(m_options.stopTokens.begin(), m_options.stopTokens.end(),
                                  next[b]) != m_options.stopTokens.end();
            m_done[b] = m_done[b] || stop;
            anyLeft = anyLeft || !m_done[b];
        }
        m_input = next_B.unsqueeze(1);
        if (m_layout) {
            m_layout = SequenceLayout{torch::zeros_like(m_input), m_nextPosition_B1.clone()};
            m_nextPosition_B1 += 1;
        }
        return anyLeft;
    }

    // Ends a row early (its caller has seen enough).
    void finish(size_t row) { m_done[row] = true; }
    std::vector<std::vector<int64_t>>& produced() { return m_produced; }

private:
    Transformer& m_model;
    const model_spec::SamplingOptions& m_options;
    torch::Device m_device;
    at::Generator m_generator;
    KvCache m_cache;
    torch::Tensor m_input;
    torch::Tensor m_seen;
    std::optional<SequenceLayout> m_layout;
    torch::Tensor m_nextPosition_B1;
    int64_t m_room = 0;
    int64_t m_steps = 0;
    std::vector<std::vector<int64_t>> m_produced;
    std::vector<bool> m_done;
};

}  // namespace

torch::Tensor sampleTokens(const torch::Tensor& logits_BV, const torch::Tensor& seen_BV,
                           const model_spec::SamplingOptions& options, at::Generator& generator) {
    torch::Tensor logits = logits_BV.to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/true);
    if (options.repetitionPenalty != 1.0) {
        torch::Tensor penalized = torch::where(logits > 0, logits / options.repetitionPenalty,
                                               logits * options.repetitionPenalty);
        logits = torch::where(seen_BV, penalized, logits);
    }
    if (options.temperature <= 0) return logits.argmax(-1);
    logits /= options.temperature;
    if (options.topK > 0 && options.topK < logits.size(-1)) {
        torch::Tensor kth_B1 = std::get<0>(logits.topk(options.topK, -1)).narrow(-1, -1, 1);
        logits.masked_fill_(logits < kth_B1, -INFINITY);
    }
    torch::Tensor probs = torch::softmax(logits, -1);
    if (options.topP < 1.0) {
        auto [sorted, order] = probs.sort(-1, /*descending=*/true);
        // Keep a token while the mass before it is below p: the first one always stays.
        torch::Tensor before = sorted.cumsum(-1) - sorted;
        sorted.masked_fill_(before >= options.topP, 0.0);
        probs = torch::zeros_like(probs).scatter_(-1, order, sorted);
    }
    return torch::multinomial(probs, 1, /*replacement=*/false, generator).squeeze(-1);
}

int64_t sampleToken(const torch::Tensor& logits_V, const std::vector<int64_t>& previous,
                    const model_spec::SamplingOptions& options, at::Generator& generator) {
    torch::Tensor seen = torch::zeros({1, logits_V.size(0)}, torch::kBool);
    if (!previous.empty()) seen[0].index_fill_(0, torch::tensor(previous, torch::kLong), true);
    return sampleTokens(logits_V.unsqueeze(0), seen, options, generator).item<int64_t>();
}

std::vector<int64_t> generate(Transformer& model, const std::vector<int64_t>& prompt,
                              const model_spec::SamplingOptions& options,
                              const std::function<bool(int64_t)>& onToken) {
    torch::NoGradGuard noGrad;
    BatchDecoder decoder(model, {prompt}, options);
    auto relay = [&](size_t row, int64_t token) {
        if (onToken && !onToken(token)) decoder.finish(row);
    };
    while (decoder.step(relay)) {
    }
    return std::move(decoder.produced()[0]);
}

std::vector<std::vector<int64_t>> generateBatch(Transformer& model,
                                                const std::vector<std::vector<int64_t>>& prompts,
                                                const model_spec::SamplingOptions& options) {
    TORCH_CHECK(!prompts.empty(), "generateBatch needs at least one prompt");
    torch::NoGradGuard noGrad;
    BatchDecoder decoder(model, prompts, options);
    while (decoder.step({})) {
    }
    return std::move(decoder.produced());
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
