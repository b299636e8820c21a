#include "core/align/rollouts.h"

#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/model/generation.h"

#include <torch/torch.h>

namespace strata::align {

Rollouts sampleRollouts(model::Transformer& policy, const ChatTemplate& chat,
                        const tokenizer::Tokenizer& tokenizer,
                        const std::vector<const TaskExample*>& tasks, int samples, int maxNewTokens,
                        double temperature, uint64_t seed) {
    Rollouts out;
    for (const TaskExample* task : tasks) {
        std::vector<tokenizer::TokenId> ids = chat.encodePrompt({{Role::User, task->prompt}});
        TokenIds prompt(ids.begin(), ids.end());
        for (int s = 0; s < samples; ++s) {
            out.prompts.push_back(prompt);
            out.tasks.push_back(task);
        }
    }
    model::SamplingOptions options;
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

RewardBreakdown scoreRollouts(const Rollouts& rollouts, const RewardWeights& weights,
                              const RewardContext& context) {
    const std::vector<RuleReward>& rules = ruleRewards();
    RewardBreakdown out;
    out.total.assign(rollouts.texts.size(), 0.0);
    out.parts.assign(rules.size(), std::vector<double>(rollouts.texts.size(), 0.0));
    for (size_t i = 0; i < rollouts.texts.size(); ++i) {
        RewardInput input{rollouts.tasks[i]->prompt, rollouts.texts[i], rollouts.tasks[i]->answer,
                          rollouts.finished[i]};
        for (size_t r = 0; r < rules.size(); ++r) {
            out.parts[r][i] = rules[r].score(input, context);
            out.total[i] += weights.rules[r] * out.parts[r][i];
        }
    }
    return out;
}

void checkPromptsFit(const ChatTemplate& chat, const std::vector<TaskExample>& tasks,
                     int64_t contextLength, int maxNewTokens, const std::filesystem::path& source,
                     const std::string& setting) {
    for (const TaskExample& task : tasks) {
        size_t length = chat.encodePrompt({{Role::User, task.prompt}}).size();
        if (int64_t(length) > contextLength - maxNewTokens)
            common::fail(
                "{}: the prompt \"{:.40}\" has {} tokens; with {} = {} it does not fit "
                "model.context_length {}",
                source.string(), task.prompt, length, setting, maxNewTokens, contextLength);
    }
}

std::vector<std::string> greedyAnswers(model::Transformer& policy, const ChatTemplate& chat,
                                       const tokenizer::Tokenizer& tokenizer,
                                       const std::vector<TaskExample>& tasks, int maxNewTokens,
                                       int batchSize) {
    torch::NoGradGuard noGrad;
    std::vector<std::string> answers;
    for (size_t first = 0; first < tasks.size(); first += size_t(batchSize)) {
        std::vector<const TaskExample*> batch;
        for (size_t i = first; i < std::min(tasks.size(), first + size_t(batchSize)); ++i)
            batch.push_back(&tasks[i]);
        Rollouts rollouts = sampleRollouts(policy, chat, tokenizer, batch, 1, maxNewTokens, 0.0, 0);
        for (std::string& text : rollouts.texts)
            answers.push_back(std::move(text));
    }
    return answers;
}

double exactMatch(model::Transformer& policy, const ChatTemplate& chat,
                  const tokenizer::Tokenizer& tokenizer, const std::vector<TaskExample>& tasks,
                  int maxNewTokens, int batchSize) {
    if (tasks.empty()) return 0.0;
    std::vector<std::string> answers =
        greedyAnswers(policy, chat, tokenizer, tasks, maxNewTokens, batchSize);
    size_t matched = 0;
    for (size_t i = 0; i < tasks.size(); ++i)
        matched += matchesAnswer(answers[i], tasks[i].answer) ? 1 : 0;
    return double(matched) / double(tasks.size());
}

}  // namespace strata::align
