// bench_train_inputs: what the PyTorch reference (reference.py) needs to train the very model
// `strata-cli train CONFIG` trains: the initial weights (seeded exactly as the trainer seeds
// them) and the token batches of the first --steps steps in the trainer's order, in one
// safetensors file. The reference then computes the same losses, step for step.
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/data/token_dataset.h"
#include "core/model/model_folder.h"
#include "core/model/safetensors.h"
#include "core/run/run_config.h"

#include <fmt/format.h>
#include <torch/torch.h>

using namespace strata;

int main(int argc, char** argv) {
    app::ArgParser parser("bench_train_inputs", "--config CONFIG --steps N -o FILE",
                          "Writes the initial weights and the first N steps' batches of a run.");
    parser.option("config", 0, "FILE", "the run config")
        .option("steps", 0, "N", "optimizer steps")
        .option("output", 'o', "FILE", "the safetensors file to write")
        .option("set", 0, "KEY=VALUE", "override one config key (repeatable)");
    try {
        app::ParsedArgs args = parser.parse({argv + 1, argv + argc});
        if (args.helpRequested) {
            fmt::print("{}", parser.help());
            return 0;
        }
        run::RunConfig config = run::loadRunConfig(args.value("config"), args.values("set"));
        int64_t steps = args.intValue("steps", 10);
        // The trainer's initialization: the seed, then the model.
        torch::manual_seed(config.train.seed);
        model::Transformer transformer(config.model);
        model::NamedTensors tensors = model::modelState(transformer);

        data::TokenDataset dataset(config.data.shards, "train");
        const int seqLen = config.resolvedSequenceLength();
        data::PackedSequences sequences(dataset, uint32_t(seqLen), config.train.seed);
        int64_t count = steps * config.train.gradAccumSteps * config.train.microBatchSize;
        torch::Tensor batches = torch::empty({count, seqLen + 1}, torch::kInt64);
        for (int64_t i = 0; i < count; ++i)
            sequences.sequence(
                uint64_t(i) / sequences.size(), uint64_t(i) % sequences.size(),
                {batches.data_ptr<int64_t>() + i * (seqLen + 1), size_t(seqLen + 1)});
        tensors.emplace_back("batches", batches);
        model::saveSafetensors(args.value("output"), tensors,
                               {{"config", run::runConfigText(config)}});
        return 0;
    } catch (const std::exception& error) {
        fmt::print(stderr, "bench_train_inputs: error: {}\n", error.what());
        return 1;
    }
}
