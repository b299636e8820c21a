// `strata-cli generate --checkpoint DIR`: continues a prompt (or each prompt of a prompt set)
// with a trained model, printing each token as it is sampled. --json prints generation lines
// instead (core/proto/generation_lines.h), its error too: what the worker relays to the studio's
// Playground (docs/protocol.md, "generated"). --chat asks the prompt as a user turn of the chat
// template and prints the assistant's answer.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/data/prompt_set.h"
#include "core/model/generation.h"
#include "core/model/model_folder.h"
#include "core/model_spec/generation_config.h"
#include "core/proto/chat_turns.h"
#include "core/proto/generation_lines.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>

namespace strata::app {

using common::fail;

namespace {

// Where the text goes: plain text on a terminal, or one generation line per piece.
class GenerationOutput {
public:
    explicit GenerationOutput(bool json) : m_json(json) {}

    void beginPrompt(size_t index, const std::string& prompt) {
        m_index = int(index);
        if (m_json) return;
        if (index > 0) fmt::print("\n");
        fmt::print("{}", prompt);
        std::fflush(stdout);
    }
    void text(std::string_view piece) {
        if (piece.empty()) return;
        if (m_json)
            emit(proto::pieceLine(m_index, piece));
        else
            fmt::print("{}", piece);
        std::fflush(stdout);
    }
    void endPrompt(int64_t tokens, double seconds) {
        if (m_json)
            emit(proto::promptDoneLine(m_index, tokens, seconds));
        else
            fmt::print("\n");
        std::fflush(stdout);
    }

private:
    static void emit(const std::string& line) { fmt::print("{}\n", line); }

    bool m_json;
    int m_index = 0;
};

// Generates what `parsed` asks for; throws common::Error for anything wrong with it.
void runGeneration(const ParsedArgs& parsed) {
    if (!parsed.has("checkpoint")) fail("--checkpoint DIR is required");
    if (parsed.has("prompt") && parsed.has("prompts")) fail("give --prompt or --prompts, not both");

    // Counts that must fit an int: a cast would wrap 4294967297 to 1.
    auto count = [&](const char* name, int64_t fallback) {
        int64_t value = parsed.intValue(name, fallback);
        if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
            fail("--{} {} is out of range", name, value);
        return int(value);
    };
    int64_t seed = parsed.intValue("seed", 0);
    if (seed < 0) fail("--seed must not be negative, not {}", seed);
    // The flags over `defaults`; checked once before the model loads, so a bad flag fails fast.
    auto withFlags = [&](const model_spec::SamplingOptions& defaults) {
        model_spec::SamplingOptions options = defaults;
        options.maxNewTokens = count("max-new-tokens", defaults.maxNewTokens);
        options.temperature = parsed.doubleValue("temperature", defaults.temperature);
        options.topK = count("top-k", defaults.topK);
        options.topP = parsed.doubleValue("top-p", defaults.topP);
        options.repetitionPenalty =
            parsed.doubleValue("repetition-penalty", defaults.repetitionPenalty);
        options.seed = uint64_t(seed);
        model_spec::checkSamplingOptions(options);
        return options;
    };
    withFlags(model_spec::defaultSamplingOptions());
    // The conversation so far: checked before the model loads, like the flags.
    tokenizer::Conversation history;
    if (parsed.has("history")) {
        if (!parsed.flag("chat")) fail("--history is for --chat");
        for (const proto::ChatTurn& turn :
             proto::parseChatTurns(parsed.value("history"), "--history"))
            history.push_back({turn.role == "system" ? tokenizer::Role::System
                               : turn.role == "user" ? tokenizer::Role::User
                                                     : tokenizer::Role::Assistant,
                               turn.content});
    }
    int threads = count("threads", 0);
    if (threads < 0) fail("--threads must not be negative, not {}", threads);
    if (threads > 0) at::set_num_threads(threads);

    std::vector<std::string> prompts{parsed.value("prompt")};
    if (parsed.has("prompts"))
        prompts = parsed.value("prompts") == "-" ? data::readPromptLines(std::cin, "stdin")
                                                 : data::readPromptSet(parsed.value("prompts"));

    model::LoadedModel loaded = model::loadModelFolder(parsed.value("checkpoint"));
    // From the folder: an imported model's tokenizer_config.json names its eos token.
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(parsed.value("checkpoint"));
    // Imported models may pad their vocabulary beyond the tokenizer's; never the other way.
    if (tokenizer.vocabSize() > size_t(loaded.config.vocabSize))
        fail("{}: the tokenizer has {} tokens, more than the model's {}",
             loaded.tokenizerPath.string(), tokenizer.vocabSize(), loaded.config.vocabSize);
    loaded.model->eval();

    // An imported model samples as transformers would by default; the flags override either.
    model_spec::SamplingOptions defaults = model_spec::defaultSamplingOptions();
    std::filesystem::path companions = loaded.tokenizerPath.parent_path();
    if (std::optional<model_spec::GenerationDefaults> imported =
            model_spec::readGenerationConfig(companions, defaults)) {
        defaults = imported->options;
        if (!imported->unfollowed.empty())
            fmt::print(stderr, "note: {} asks for {}, which generate does not do\n",
                       (companions / model::kGenerationConfigFile).string(),
                       fmt::join(imported->unfollowed, ", "));
    }
    model_spec::SamplingOptions options = withFlags(defaults);

    // Strata's documents were trained as <|eos|> text <|eos|> ..., so a prompt starts after an
    // <|eos|>; an imported model's prompt gets what its tokenizer adds (Llama 3's bos) and ends
    // at its eos. A chat prompt is the template's user turn, which opens the assistant's.
    std::optional<tokenizer::TokenId> strataEos = tokenizer.findAddedToken("<|eos|>");
    std::optional<tokenizer::TokenId> eos = strataEos;
    if (!eos && !tokenizer.data().eosToken.empty())
        eos = tokenizer.findAddedToken(tokenizer.data().eosToken);
    std::optional<tokenizer::ChatTemplate> chat;
    if (parsed.flag("chat")) {
        chat.emplace(tokenizer::modelChatTemplate(parsed.value("checkpoint"), tokenizer));
        eos = chat->endOfTurn();
    }
    if (eos) options.stopTokens.push_back(*eos);
    std::vector<std::vector<int64_t>> encoded;
    for (size_t i = 0; i < prompts.size(); ++i) {
        std::vector<int64_t> prompt;
        if (chat) {
            tokenizer::Conversation conversation = history;
            conversation.push_back({tokenizer::Role::User, prompts[i]});
            for (tokenizer::TokenId id : chat->encodePrompt(conversation))
                prompt.push_back(id);
        } else if (strataEos) {
            prompt.push_back(*strataEos);
            for (tokenizer::TokenId id : tokenizer.encode(prompts[i]))
                prompt.push_back(id);
        } else {
            for (tokenizer::TokenId id : tokenizer.addSpecialTokens(tokenizer.encode(prompts[i])))
                prompt.push_back(id);
        }
        if (prompt.size() >= size_t(loaded.config.contextLength))
            fail("{}the prompt has {} tokens; the model's context is {}",
                 prompts.size() > 1 ? fmt::format("prompt {}: ", i + 1) : "", prompt.size(),
                 loaded.config.contextLength);
        encoded.push_back(std::move(prompt));
    }

    GenerationOutput output(parsed.flag("json"));
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < prompts.size(); ++i) {
        output.beginPrompt(i, prompts[i]);
        std::string pending;
        int64_t tokens = 0;
        auto onToken = [&](int64_t token) {
            ++tokens;
            // The eos ends the text; a padding id past the tokenizer's vocabulary has none.
            if ((eos && token == *eos) || token >= int64_t(tokenizer.vocabSize())) return true;
            tokenizer::TokenId id = tokenizer::TokenId(token);
            pending += tokenizer.decode({&id, 1});
            size_t ready = common::completeUtf8Prefix(pending);
            output.text(common::replaceInvalidUtf8(std::string_view(pending).substr(0, ready)));
            pending.erase(0, ready);
            return true;
        };
        auto started = std::chrono::steady_clock::now();
        model::generate(loaded.model, encoded[i], options, onToken);
        output.text(common::replaceInvalidUtf8(pending));
        output.endPrompt(
            tokens,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
}

}  // namespace

int runGenerate(const Args& args) {
    ArgParser parser(
        "strata-cli generate", "--checkpoint DIR [--prompt TEXT | --prompts FILE] [OPTIONS]",
        "Continues TEXT with the model of a checkpoint (or any model folder) and streams the\n"
        "new text to stdout as it is sampled. Generation stops at the model's end of text\n"
        "(<|eos|>, or an imported model's eos token), after --max-new-tokens or at the\n"
        "model's context length. --prompts continues each prompt\n"
        "of a prompt set in turn: a .jsonl file of {\"prompt\": ...} objects (- reads them\n"
        "from stdin) or a text file with one prompt a line. An imported model's\n"
        "generation_config.json replaces the sampling defaults below, as in transformers\n"
        "(greedy unless it sets do_sample); --temperature 0 is always greedy.");
    const model_spec::SamplingOptions defaults = model_spec::defaultSamplingOptions();
    parser.option("checkpoint", 'c', "DIR", "a checkpoint or model folder")
        .option("prompt", 'p', "TEXT", "the text to continue (default: a new document)")
        .option("prompts", 0, "FILE", "continue each prompt of FILE instead")
        .option("max-new-tokens", 'n', "N",
                fmt::format("tokens to generate (default {})", defaults.maxNewTokens))
        .option("temperature", 't', "T",
                fmt::format("sampling temperature; 0 = greedy (default {})", defaults.temperature))
        .option("top-k", 0, "K",
                fmt::format("sample from the K most likely tokens; 0 = all (default {})",
                            defaults.topK))
        .option("top-p", 0, "P",
                fmt::format("nucleus sampling threshold (default {})", defaults.topP))
        .option("repetition-penalty", 0, "R",
                fmt::format("CTRL-style penalty on seen tokens (default {})",
                            defaults.repetitionPenalty))
        .option("seed", 0, "N", "sampling seed (default 0)")
        .option("threads", 0, "N", "CPU threads for the model; 0 = all cores (default 0)")
        .flag("chat", 0,
              "ask each prompt as a user turn of the chat template (as SFT, PPO, GRPO and eval "
              "do) and print the assistant's answer, which ends with its turn")
        .option("history", 0, "JSON",
                "with --chat: the conversation so far, [{\"role\": \"user\", \"content\": "
                "...}, {\"role\": \"assistant\", ...}, ...], before each prompt")
        .flag("json", 0,
              "print JSON lines: {\"prompt\": I, \"text\": ...} per piece, {\"prompt\": I, "
              "\"done\": true, \"tokens\": N, \"seconds\": S} per prompt and {\"error\": ...} "
              "if it fails");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    try {
        runGeneration(*parsed);
    } catch (const common::Error& error) {
        // With --json the reason is a generation line too; stderr still gets the usual line.
        if (parsed->flag("json")) {
            fmt::print("{}\n", proto::errorLine(error.what()));
            std::fflush(stdout);
        }
        throw;
    }
    return 0;
}

}  // namespace strata::app
