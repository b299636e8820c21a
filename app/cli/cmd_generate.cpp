// `strata-cli generate --checkpoint DIR`: continues a prompt with a trained model, printing each
// token as it is sampled.
#include "app/cli/commands.h"
#include "core/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/model/generation.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cstdio>

namespace strata::app {

using common::fail;

int runGenerate(const Args& args) {
    cli::ArgParser parser(
        "strata-cli generate", "--checkpoint DIR [--prompt TEXT] [OPTIONS]",
        "Continues TEXT with the model of a checkpoint (or any model folder) and streams the\n"
        "new text to stdout as it is sampled. Generation stops at <|eos|>, after\n"
        "--max-new-tokens or at the model's context length.");
    parser.option("checkpoint", 'c', "DIR", "a checkpoint or model folder")
        .option("prompt", 'p', "TEXT", "the text to continue (default: a new document)")
        .option("max-new-tokens", 'n', "N", "tokens to generate (default 64)")
        .option("temperature", 't', "T", "sampling temperature; 0 = greedy (default 0.8)")
        .option("top-k", 0, "K", "sample from the K most likely tokens; 0 = all (default 50)")
        .option("top-p", 0, "P", "nucleus sampling threshold (default 0.95)")
        .option("repetition-penalty", 0, "R", "CTRL-style penalty on seen tokens (default 1.1)")
        .option("seed", 0, "N", "sampling seed (default 0)");
    std::optional<cli::ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("checkpoint")) fail("--checkpoint DIR is required");

    model::SamplingOptions options;
    options.maxNewTokens = int(parsed->intValue("max-new-tokens", 64));
    options.temperature = parsed->doubleValue("temperature", 0.8);
    options.topK = int(parsed->intValue("top-k", 50));
    options.topP = parsed->doubleValue("top-p", 0.95);
    options.repetitionPenalty = parsed->doubleValue("repetition-penalty", 1.1);
    options.seed = uint64_t(parsed->intValue("seed", 0));
    if (options.maxNewTokens < 1) fail("--max-new-tokens must be positive");
    if (options.temperature < 0) fail("--temperature must be at least 0");
    if (options.topK < 0) fail("--top-k must be at least 0");
    if (options.topP <= 0 || options.topP > 1) fail("--top-p must be in (0, 1]");
    if (options.repetitionPenalty <= 0) fail("--repetition-penalty must be positive");

    model::LoadedModel loaded = model::loadModelFolder(parsed->value("checkpoint"));
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(loaded.tokenizerPath);
    // Imported models may pad their vocabulary beyond the tokenizer's; never the other way.
    if (tokenizer.vocabSize() > size_t(loaded.config.vocabSize))
        fail("{}: the tokenizer has {} tokens, more than the model's {}",
             loaded.tokenizerPath.string(), tokenizer.vocabSize(), loaded.config.vocabSize);
    loaded.model->eval();

    // Documents were trained as <|eos|> text <|eos|> ..., so a prompt starts after an <|eos|>.
    std::vector<int64_t> prompt;
    std::optional<tokenizer::TokenId> eos = tokenizer.findAddedToken("<|eos|>");
    if (eos) {
        prompt.push_back(*eos);
        options.stopTokens.push_back(*eos);
    }
    std::string promptText = parsed->value("prompt");
    for (tokenizer::TokenId id : tokenizer.encode(promptText))
        prompt.push_back(id);
    if (prompt.size() >= size_t(loaded.config.contextLength))
        fail("the prompt has {} tokens; the model's context is {}", prompt.size(),
             loaded.config.contextLength);

    fmt::print("{}", promptText);
    std::fflush(stdout);
    std::string pending;
    auto onToken = [&](int64_t token) {
        // <|eos|> ends the text; a padding id past the tokenizer's vocabulary has none.
        if ((eos && token == *eos) || token >= int64_t(tokenizer.vocabSize())) return true;
        tokenizer::TokenId id = tokenizer::TokenId(token);
        pending += tokenizer.decode({&id, 1});
        size_t ready = common::completeUtf8Prefix(pending);
        fmt::print("{}", common::replaceInvalidUtf8(std::string_view(pending).substr(0, ready)));
        std::fflush(stdout);
        pending.erase(0, ready);
        return true;
    };
    torch::NoGradGuard noGrad;
    model::generate(loaded.model, prompt, options, onToken);
    fmt::print("{}\n", common::replaceInvalidUtf8(pending));
    return 0;
}

}  // namespace strata::app
