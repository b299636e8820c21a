// bench_sft_inputs: the batches `strata-cli train CONFIG` (an SFT run) trains on in its first
// --steps steps, for lora.py, which trains the same model with transformers and PEFT on them.
// The conversations go through the model's chat template (core/tokenizer/chat_template.h) into
// SftRows (core/align/sft_rows.h) as the SFT trainer lays them out, with the config's width and
// packing; the config must keep them in a fixed order (sft.curriculum = "length", the trainer's
// stable sort by token count) and hold out no validation set (train.eval_every = 0), so the rows
// here are the trainer's rows. Writes inputs, targets and loss weights (steps x micro-batches x
// grad_accum_steps rows) to one safetensors file, with the resolved config as metadata.
#include "app/cli/arg_parser.h"
#include "core/align/sft_rows.h"
#include "core/common/error.h"
#include "core/data/sft_examples.h"
#include "core/model/safetensors.h"
#include "core/run/run_config.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>

using namespace strata;

namespace {

int runBench(int argc, char** argv) {
    app::ArgParser parser("bench_sft_inputs", "--config CONFIG --steps N -o FILE",
                          "Writes the batches of an SFT run's first N steps.");
    parser.option("config", 0, "FILE", "the SFT run config")
        .option("steps", 0, "N", "optimizer steps")
        .option("output", 'o', "FILE", "the safetensors file to write")
        .option("set", 0, "KEY=VALUE", "override one config key (repeatable)");
    app::ParsedArgs args = parser.parse({argv + 1, argv + argc});
    if (args.helpRequested) {
        fmt::print("{}", parser.help());
        return 0;
    }
    run::RunConfig config = run::loadRunConfig(args.value("config"), args.values("set"));
    if (config.align.sft.curriculum != run::Curriculum::Length || config.train.evalEvery != 0)
        common::fail("{}: needs sft.curriculum = \"length\" and train.eval_every = 0",
                     args.value("config"));

    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(config.data.tokenizer);
    tokenizer::ChatTemplate chat = tokenizer::modelChatTemplate(config.align.init.model, tokenizer);
    std::vector<tokenizer::ChatTokens> encoded;
    for (const data::SftExample& example : data::readSftExamples(config.data.train))
        encoded.push_back(chat.encode(example.conversation));
    std::stable_sort(encoded.begin(), encoded.end(),
                     [](const auto& a, const auto& b) { return a.ids.size() < b.ids.size(); });
    align::SftRows rows(encoded, config.resolvedSequenceLength(), config.align.sft.packing, false,
                        config.train.seed);

    const int micro = config.train.microBatchSize;
    const int64_t count = args.intValue("steps", 8) * config.train.gradAccumSteps;
    std::vector<torch::Tensor> inputs, targets, weights;
    for (int64_t i = 0; i < count; ++i) {
        align::SftBatch batch = rows.batch(uint64_t(i * micro), micro, torch::kCPU);
        if (batch.layout) common::fail("packed rows are not supported here: set sft.packing false");
        inputs.push_back(batch.inputs_BT);
        targets.push_back(batch.targets_BT);
        weights.push_back(batch.weights_BT);
    }
    model::saveSafetensors(args.value("output"),
                           {{"inputs", torch::cat(inputs)},
                            {"targets", torch::cat(targets)},
                            {"weights", torch::cat(weights)}},
                           {{"config", run::runConfigText(config)}});
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return runBench(argc, argv);
    } catch (const std::exception& error) {
        fmt::print(stderr, "bench_sft_inputs: error: {}\n", error.what());
        return 1;
    }
}
