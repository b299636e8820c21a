#include "core/align/rollouts.h"

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/model/generation.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>

namespace strata::align {

Rollouts sampleRollouts(model::Transformer& policy, const tokenizer::ChatTemplate& chat,
                        const tokenizer::Tokenizer& tokenizer,
                        const std::vector<const data::TaskExample*>& tasks, int samples,
                        int maxNewTokens, double temperature, uint64_t seed) {
    Rollouts out;
    for (const data::TaskExample* task : tasks) {
        std::vector<tokenizer::TokenId> ids =
            chat.encodePrompt({{tokenizer::Role::User, task->prompt}});
        TokenIds prompt(ids.begin(), ids.end());
        for (int s = 0; s < samples; ++s) {
            out.prompts.push_back(prompt);
            out.tasks.push_back(task);
        }
    }
    model_spec::SamplingOptions options;
    options.maxNewTokens = maxNewTokens;
    options.temperature = temperature;
    options.stopTokens = {int64_t(chat.endOfTurn())};
    options.seed = seed;
    bool training = policy->is_training();
    policy->eval();
    out.responses = model::generateBatch(policy, out.prompts, options);
    policy->train(training);
    for (const TokenIds& response : out.responses) {
        bool finished = !response.empty() && response.back() == int64_t(chat.endOfTurn());
        std::vector<tokenizer::TokenId> text;
        for (size_t i = 0; i + (finished ? 1 : 0) < response.size(); ++i)
            if (response[i] < int64_t(tokenizer.vocabSize()))
                text.push_back(tokenizer::TokenId(response[i]));
        out.texts.push_back(common::replaceInvalidUtf8(tokenizer.decode(text)));
        out.finished.push_back(finished);
    }
    return out;
}

RewardBreakdown scoreRollouts(const Rollouts& rollouts, const run::RewardWeights& weights,
                              const data::RewardContext& context) {
    const std::vector<data::RuleReward>& rules = data::ruleRewards();
    RewardBreakdown out;
    out.total.assign(rollouts.texts.size(), 0.0);
    out.parts.assign(rules.size(), std::vector<double>(rollouts.texts.size(), 0.0));
    for (size_t i = 0; i < rollouts.texts.size(); ++i) {
        data::RewardInput input{rollouts.tasks[i]->prompt, rollouts.texts[i],
                                rollouts.tasks[i]->answer, rollouts.finished[i]};
        for (size_t r = 0; r < rules.size(); ++r) {
            out.parts[r][i] = rules[r].score(input, context);
            out.total[i] += weights.rules[r] * out.parts[r][i];
        }
    }
    return out;
}

run::InspectedRollouts inspectRollouts(const Rollouts& rollouts, const RewardBreakdown& rewards,
                                       const run::RewardWeights& weights,
                                       const tokenizer::Tokenizer& tokenizer,
                                       const ResponseBatch& batch, const torch::Tensor& kl_BT1,
                                       const std::vector<double>& advantages, size_t count) {
    const std::vector<data::RuleReward>& rules = data::ruleRewards();
    run::InspectedRollouts out;
    for (size_t r = 0; r < rules.size(); ++r)
        if (weights.rules[r] > 0) out.weights.push_back({rules[r].name, weights.rules[r]});
    if (!rewards.model.empty()) out.weights.push_back({"model", weights.model});

    count = std::min(count, rollouts.responses.size());
    torch::Tensor mask = batch.mask_BT1.narrow(0, 0, int64_t(count)).to(torch::kCPU);
    torch::Tensor kl = kl_BT1.defined()
                           ? kl_BT1.narrow(0, 0, int64_t(count)).to(torch::kCPU, torch::kFloat64)
                           : torch::Tensor();
    for (size_t i = 0; i < count; ++i) {
        run::SampledResponse sample;
        // The prompt as the policy read it: the task through the chat template, markup and all.
        const TokenIds& promptIds = rollouts.prompts[i];
        sample.prompt = common::replaceInvalidUtf8(tokenizer.decodeText(
            std::vector<tokenizer::TokenId>(promptIds.begin(), promptIds.end())));
        sample.response = rollouts.texts[i];
        sample.reference = rollouts.tasks[i]->answer;
        sample.reward = rewards.total[i];
        for (size_t r = 0; r < rules.size(); ++r)
            if (weights.rules[r] > 0) sample.parts.push_back({rules[r].name, rewards.parts[r][i]});
        if (!rewards.model.empty()) sample.parts.push_back({"model", rewards.model[i]});
        if (!advantages.empty()) sample.advantage = advantages[i];
        // The batch's response positions of row i, in order: its kept tokens.
        torch::Tensor positions = mask[int64_t(i)].nonzero().view({-1});
        const TokenIds& response = rollouts.responses[i];
        const size_t kept = std::min(size_t(positions.size(0)), response.size());
        for (size_t k = 0; k < kept; ++k) {
            const int64_t id = response[k];
            sample.tokens.push_back(
                id < int64_t(tokenizer.vocabSize())
                    ? common::tokenLabel(tokenizer.tokenBytes(tokenizer::TokenId(id)))
                    : fmt::format("‹#{}›", id));
        }
        if (kl.defined()) {
            torch::Tensor values = kl[int64_t(i)].index_select(0, positions).contiguous();
            sample.kl.assign(values.data_ptr<double>(), values.data_ptr<double>() + kept);
        }
        out.responses.push_back(std::move(sample));
    }
    return out;
}

void checkPromptsFit(const tokenizer::ChatTemplate& chat,
                     const std::vector<data::TaskExample>& tasks, int64_t contextLength,
                     int maxNewTokens, const std::filesystem::path& source,
                     const std::string& setting) {
    for (const data::TaskExample& task : tasks) {
        size_t length = chat.encodePrompt({{tokenizer::Role::User, task.prompt}}).size();
        if (int64_t(length) > contextLength - maxNewTokens)
            common::fail(
                "{}: the prompt \"{:.40}\" has {} tokens; with {} = {} it does not fit "
                "model.context_length {}",
                source.string(), task.prompt, length, setting, maxNewTokens, contextLength);
    }
}

std::vector<std::string> greedyAnswers(model::Transformer& policy,
                                       const tokenizer::ChatTemplate& chat,
                                       const tokenizer::Tokenizer& tokenizer,
                                       const std::vector<data::TaskExample>& tasks,
                                       int maxNewTokens, int batchSize) {
    torch::NoGradGuard noGrad;
    std::vector<std::string> answers;
    for (size_t first = 0; first < tasks.size(); first += size_t(batchSize)) {
        std::vector<const data::TaskExample*> batch;
        for (size_t i = first; i < std::min(tasks.size(), first + size_t(batchSize)); ++i)
            batch.push_back(&tasks[i]);
        Rollouts rollouts = sampleRollouts(policy, chat, tokenizer, batch, 1, maxNewTokens, 0.0, 0);
        for (std::string& text : rollouts.texts)
            answers.push_back(std::move(text));
    }
    return answers;
}

double exactMatch(model::Transformer& policy, const tokenizer::ChatTemplate& chat,
                  const tokenizer::Tokenizer& tokenizer,
                  const std::vector<data::TaskExample>& tasks, int maxNewTokens, int batchSize) {
    if (tasks.empty()) return 0.0;
    std::vector<std::string> answers =
        greedyAnswers(policy, chat, tokenizer, tasks, maxNewTokens, batchSize);
    size_t matched = 0;
    for (size_t i = 0; i < tasks.size(); ++i)
        matched += data::matchesAnswer(answers[i], tasks[i].answer) ? 1 : 0;
    return double(matched) / double(tasks.size());
}

}  // namespace strata::align
