// bench_token_scores: peak memory and time of scoring tokens the way PPO and GRPO score a policy
// (each token's log-probability and its distribution's entropy, forward and backward), chunked
// (model::linearTokenLogProbs, what the trainers use) against the whole (N, V) logits and their
// log-softmax (what they used before). One mode per process, so each peak is its own: the peak
// is the growth of the process's resident memory over what it held before scoring. Random
// hidden states and output matrix of a given vocabulary; prints one JSON object.
//
//   bench_token_scores --mode chunked|full [--rows 4096] [--dim 576] [--vocab 49152]
//                      [--threads N]
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/model/linear_cross_entropy.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

using namespace strata;

namespace {

int64_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

int64_t peakResidentBytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return int64_t(usage.ru_maxrss) * 1024;
}

int run(int argc, char** argv) {
    app::ArgParser parser("bench_token_scores", "--mode chunked|full [options]",
                          "Peak memory and time of token log-probabilities and entropies.");
    parser.option("mode", 0, "MODE", "chunked (linearTokenLogProbs) or full (whole logits)")
        .option("rows", 0, "N", "tokens scored (default 4096: 4 rollouts of 1024)")
        .option("dim", 0, "D", "model width (default 576, SmolLM2-135M's)")
        .option("vocab", 0, "V", "vocabulary (default 49152, SmolLM2's)")
        .option("threads", 'j', "N", "CPU threads (default: every core)");
    app::ParsedArgs args = parser.parse({argv + 1, argv + argc});
    if (args.helpRequested) {
        fmt::print("{}", parser.help());
        return 0;
    }
    const std::string mode = args.value("mode");
    if (mode != "chunked" && mode != "full") common::fail("--mode must be chunked or full");
    const int threads = int(args.intValue("threads", at::get_num_threads()));
    at::set_num_threads(threads);
    const int64_t rows = args.intValue("rows", 4096), dim = args.intValue("dim", 576);
    const int64_t vocab = args.intValue("vocab", 49152);

    torch::manual_seed(0);
    torch::Tensor hidden = torch::randn({rows, dim}).requires_grad_();
    torch::Tensor weight = (torch::randn({vocab, dim}) * 0.02).requires_grad_();
    torch::Tensor targets = torch::randint(vocab, {rows});
    hidden.mutable_grad() = torch::zeros_like(hidden);
    weight.mutable_grad() = torch::zeros_like(weight);
    const int64_t before = residentBytes();

    auto start = std::chrono::steady_clock::now();
    torch::Tensor logProbs, entropy;
    if (mode == "chunked") {
        model::TokenLogProbs scores = model::linearTokenLogProbs(hidden, weight, targets);
        logProbs = scores.logProbs_N;
        entropy = scores.entropy_N;
    } else {
        torch::Tensor all = torch::log_softmax(torch::matmul(hidden, weight.t()), -1);
        logProbs = all.gather(1, targets.unsqueeze(1)).squeeze(1);
        entropy = -(all.exp() * all).sum(-1);
    }
    // A policy loss's shape: both terms, with gradients to the hidden states and the matrix.
    (logProbs.sum() + 0.01 * entropy.sum()).backward();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    common::JsonWriter json;
    json.beginObject()
        .field("mode", mode)
        .field("rows", rows)
        .field("dim", dim)
        .field("vocab", vocab)
        .field("threads", threads)
        .field("seconds", seconds)
        .field("peak_growth_mb", double(peakResidentBytes() - before) / (1 << 20))
        .field("logits_mb", double(rows * vocab * 4) / (1 << 20))
        .field("log_prob_sum", logProbs.sum().item<double>())
        .endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        fmt::print(stderr, "bench_token_scores: error: {}\n", error.what());
        return 1;
    }
}
