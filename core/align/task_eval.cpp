#include "core/align/task_eval.h"

#include "core/align/rollouts.h"
#include "core/common/error.h"
#include "core/data/rule_rewards.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>

namespace strata::align {

std::string matchCountText(const MatchCount& count) {
    return fmt::format("{:5.1f}% ({}/{})", 100.0 * count.share(), count.matched, count.total);
}

TaskEvaluation evaluateTasks(const std::filesystem::path& modelFolder,
                             const std::vector<data::TaskExample>& tasks,
                             const std::filesystem::path& source, int maxNewTokens, int batchSize) {
    model::LoadedModel loaded = model::loadModelFolder(modelFolder);
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(loaded.tokenizerPath);
    tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(modelFolder, tokenizer);
    checkPromptsFit(chat, tasks, loaded.config.contextLength, maxNewTokens, source,
                    "--max-new-tokens");
    TaskEvaluation out;
    out.answers = greedyAnswers(loaded.model, chat, tokenizer, tasks, maxNewTokens, batchSize);
    for (size_t i = 0; i < tasks.size(); ++i) {
        bool matched = data::matchesAnswer(out.answers[i], tasks[i].answer);
        for (MatchCount* count : {&out.overall, &out.byTask[tasks[i].task]}) {
            count->matched += matched ? 1 : 0;
            ++count->total;
        }
    }
    return out;
}

}  // namespace strata::align
