// `strata-cli logprobs --checkpoint DIR (--text TEXT | --ids "ID ...") [--json]`: the
// log-probability a model gives each token after the ones before it (core/model/
// next_token_logprobs.h). The first token has none. Tests compare it with transformers; the
// evaluation of models builds on it.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/model/model_folder.h"
#include "core/model/next_token_logprobs.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <charconv>
#include <optional>

namespace strata::app {

using common::fail;

namespace {

// "12 7 9" (spaces or commas between) -> ids, each checked against the model's vocabulary.
std::vector<int64_t> parseIds(std::string_view text, int vocabSize) {
    std::vector<int64_t> ids;
    size_t position = 0;
    while (position < text.size()) {
        if (text[position] == ' ' || text[position] == ',') {
            ++position;
            continue;
        }
        int64_t id = 0;
        auto [end, error] = std::from_chars(text.data() + position, text.data() + text.size(), id);
        if (error != std::errc() ||
            (end != text.data() + text.size() && *end != ' ' && *end != ','))
            fail("--ids: '{}' is not a list of token ids", text);
        if (id < 0 || id >= vocabSize)
            fail("--ids: {} is not a token of the model (its vocabulary has {})", id, vocabSize);
        ids.push_back(id);
        position = size_t(end - text.data());
    }
    return ids;
}

void printJson(const std::vector<int64_t>& ids, const std::vector<float>& logProbs) {
    common::JsonWriter json;
    json.beginObject().key("ids").beginArray();
    for (int64_t id : ids)
        json.value(id);
    json.endArray().key("logprobs").beginArray().rawValue("null");
    for (float logProb : logProbs)
        json.value(double(logProb));
    fmt::print("{}\n", json.endArray().endObject().take());
}

void printTable(const std::vector<int64_t>& ids, const std::vector<float>& logProbs,
                const std::optional<tokenizer::Tokenizer>& tokenizer) {
    double total = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
        std::string text;
        if (tokenizer && ids[i] < int64_t(tokenizer->vocabSize())) {
            tokenizer::TokenId id = tokenizer::TokenId(ids[i]);
            text = common::quotedJson(tokenizer->decode({&id, 1}));
        }
        std::string logProb = i == 0 ? "-" : fmt::format("{:.6f}", logProbs[i - 1]);
        if (i > 0) total += logProbs[i - 1];
        fmt::print("{:>6} {:>8} {:>12} {}\n", i, ids[i], logProb, text);
    }
    fmt::print("total {:.6f} over {} tokens\n", total, logProbs.size());
}

}  // namespace

int runLogprobs(const Args& args) {
    ArgParser parser(
        "strata-cli logprobs", "--checkpoint DIR (--text TEXT | --ids \"ID ...\") [--json]",
        "Prints the log-probability the model gives each token after the ones before it: a\n"
        "table of position, id, log-probability and token, or with --json one line\n"
        "{\"ids\": [...], \"logprobs\": [null, ...]}. --text is encoded by the model's\n"
        "tokenizer as Hugging Face's encode(text, add_special_tokens=False) encodes it:\n"
        "special tokens written in it are read as such, and none is added.");
    parser.option("checkpoint", 'c', "DIR", "a checkpoint or model folder")
        .option("text", 0, "TEXT", "the text to score")
        .option("ids", 0, "\"ID ...\"", "the token ids to score, separated by spaces or commas")
        .flag("json", 0, "print one JSON line");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("checkpoint")) fail("--checkpoint DIR is required");
    if (parsed->has("text") == parsed->has("ids")) fail("give exactly one of --text and --ids");

    model::LoadedModel loaded = model::loadModelFolder(parsed->value("checkpoint"));
    std::optional<tokenizer::Tokenizer> tokenizer;
    if (parsed->has("text") || !parsed->flag("json"))
        tokenizer.emplace(tokenizer::loadTokenizer(loaded.tokenizerPath));
    std::vector<int64_t> ids;
    if (parsed->has("ids")) {
        ids = parseIds(parsed->value("ids"), loaded.config.vocabSize);
    } else {
        for (tokenizer::TokenId id :
             tokenizer->encode(parsed->value("text"), tokenizer::SpecialPolicy::all()))
            ids.push_back(int64_t(id));
    }
    if (ids.size() < 2) fail("{} tokens: at least 2 are needed to score one", ids.size());
    if (ids.size() > size_t(loaded.config.contextLength))
        fail("{} tokens: the model's context is {}", ids.size(), loaded.config.contextLength);

    loaded.model->eval();
    torch::Tensor logProbs =
        model::nextTokenLogProbs(loaded.model, torch::tensor(ids).unsqueeze(0))[0].contiguous();
    std::vector<float> values(logProbs.data_ptr<float>(),
                              logProbs.data_ptr<float>() + logProbs.numel());
    if (parsed->flag("json"))
        printJson(ids, values);
    else
        printTable(ids, values, tokenizer);
    return 0;
}

}  // namespace strata::app
