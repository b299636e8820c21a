// bench_generation: greedy generation speed of an imported model (core/model/generation.h, the
// path `strata-cli generate --temperature 0 --repetition-penalty 1` takes; several --prompt
// options decode together, left-padded in one batch, as rollouts do). Each prompt is one user
// turn through the model's own chat template; generation runs exactly --new-tokens tokens a
// prompt (no stop token, so both sides do the same work), once to warm up, then --repeats timed
// runs. Prints one JSON object with each prompt's ids and generated ids and each run's seconds;
// generation.py does the same with transformers, checks the ids and takes the ratio.
//
//   bench_generation --model DIR --prompt TEXT [--prompt TEXT ...] [--new-tokens 128]
//                    [--threads N] [--repeats 3]
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/model/generation.h"
#include "core/model/model_folder.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>

using namespace strata;

namespace {

int run(int argc, char** argv) {
    app::ArgParser parser("bench_generation", "--model DIR --prompt TEXT [options]",
                          "Times greedy generation of a model folder; prints JSON.");
    parser.option("model", 0, "DIR", "a model folder (strata-cli import's output)")
        .option("prompt", 0, "TEXT", "a user turn to answer (repeat for a batch)")
        .option("new-tokens", 'n', "N", "tokens to generate (default 128)")
        .option("threads", 'j', "N", "CPU threads (default: every core)")
        .option("repeats", 0, "N", "timed runs after the warm-up (default 3)");
    app::ParsedArgs args = parser.parse({argv + 1, argv + argc});
    if (args.helpRequested) {
        fmt::print("{}", parser.help());
        return 0;
    }
    if (!args.has("model") || !args.has("prompt"))
        common::fail("--model and --prompt are required");
    const int threads = int(args.intValue("threads", at::get_num_threads()));
    at::set_num_threads(threads);
    const int repeats = int(args.intValue("repeats", 3));

    const std::filesystem::path folder = args.value("model");
    model::LoadedModel loaded = model::loadModelFolder(folder);
    loaded.model->eval();
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(folder);
    tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(folder, tokenizer);
    std::vector<std::vector<int64_t>> prompts;
    for (const std::string& text : args.values("prompt")) {
        prompts.emplace_back();
        for (tokenizer::TokenId id : chat.encodePrompt({{tokenizer::Role::User, text}}))
            prompts.back().push_back(id);
    }

    model_spec::SamplingOptions greedy{.maxNewTokens = int(args.intValue("new-tokens", 128)),
                                       .temperature = 0,
                                       .repetitionPenalty = 1};
    torch::NoGradGuard noGrad;
    auto generate = [&] {
        return prompts.size() == 1 ? std::vector<std::vector<int64_t>>{model::generate(
                                         loaded.model, prompts[0], greedy)}
                                   : model::generateBatch(loaded.model, prompts, greedy);
    };
    std::vector<std::vector<int64_t>> generated = generate();  // warm-up
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        std::vector<std::vector<int64_t>> again = generate();
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (again != generated) common::fail("greedy generation differed between runs");
    }

    common::JsonWriter json;
    auto writeRows = [&](const std::vector<std::vector<int64_t>>& rows) {
        json.beginArray();
        for (const std::vector<int64_t>& row : rows) {
            json.beginArray();
            for (int64_t id : row)
                json.value(id);
            json.endArray();
        }
        json.endArray();
    };
    json.beginObject().key("threads").value(threads).key("prompt_ids");
    writeRows(prompts);
    json.key("generated");
    writeRows(generated);
    json.key("seconds").beginArray();
    for (double s : seconds)
        json.value(s);
    json.endArray().endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        fmt::print(stderr, "bench_generation: error: {}\n", error.what());
        return 1;
    }
}
