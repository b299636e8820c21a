// `strata-cli labels score --reward-model DIR`: labels where they help most. A reward model
// scores the workspace's pairs that nobody has labeled, and the margins go into the run history,
// where the labeling panel's "least sure first" queue reads them.
#include "app/cli/commands.h"
#include "app/cli/workspace.h"
#include "core/align/pair_scoring.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace strata::app {

namespace fs = std::filesystem;
using common::fail;

namespace {

int scorePairs(const ParsedArgs& parsed, const fs::path& workspace) {
    if (!parsed.has("reward-model")) fail("labels score: --reward-model DIR is required");
    const int64_t batch = parsed.intValue("batch", 16);
    const int64_t threads = parsed.intValue("threads", 0);
    if (batch < 1 || batch > 1 << 16)
        fail("--batch must be between 1 and {}, not {}", 1 << 16, batch);
    if (threads < 0) fail("--threads must not be negative, not {}", threads);
    if (threads > 0) at::set_num_threads(int(threads));

    fs::path rewardModel = fs::absolute(parsed.value("reward-model")).lexically_normal();
    if (!rewardModel.has_filename()) rewardModel = rewardModel.parent_path();  // "DIR/"
    // The scorer's name in the history; the panel's queue asks for the same one.
    const std::string scorer = common::workspaceRelative(rewardModel, workspace);
    store::LabelStore store(common::historyFile(workspace));
    std::vector<store::PreferencePair> pairs = store.unscoredPairs(scorer);
    if (pairs.empty()) {
        fmt::print("no unlabeled pairs left to score with {} ({} scored before)\n", scorer,
                   store.scoredPairs(scorer));
        return 0;
    }
    std::vector<data::Preference> preferences;
    for (const store::PreferencePair& pair : pairs)
        preferences.push_back({pair.prompt, pair.responseA, pair.responseB});
    common::Progress progress("score", pairs.size(), "pairs");
    size_t reported = 0;
    std::vector<double> margins =
        align::rewardMargins(rewardModel, preferences, int(batch), [&](size_t done) {
            progress.advance(done - reported);
            reported = done;
        });
    progress.finish();
    std::vector<store::PairScore> scores;
    for (size_t i = 0; i < pairs.size(); ++i)
        scores.push_back({pairs[i].id, margins[i]});
    store.recordScores(scorer, scores);

    std::vector<double> sureness;
    for (double margin : margins)
        sureness.push_back(std::abs(margin));
    std::sort(sureness.begin(), sureness.end());
    fmt::print(
        "scored {} pairs with {}: |margin| from {:.3g} (the least sure) to {:.3g}, median {:.3g}\n",
        pairs.size(), scorer, sureness.front(), sureness.back(), sureness[sureness.size() / 2]);
    return 0;
}

}  // namespace

int runLabels(const Args& args) {
    ArgParser parser(
        "strata-cli labels", "score --reward-model DIR [--workspace DIR] [OPTIONS]",
        "The labeling panel's pairs in a workspace's run history. `score` has a reward model (a\n"
        "reward run's checkpoint) score every pair nobody has labeled yet with its margin\n"
        "r(A) - r(B); the panel's \"least sure first\" queue then hands out the pairs with the\n"
        "smallest |margin| first. Scoring again with the same model scores only new pairs.");
    parser.positional("ACTION", 1, 1, "score")
        .option("reward-model", 'r', "DIR", "a reward run's checkpoint")
        .option("batch", 'b', "N", "pairs scored together (default 16)")
        .option("threads", 0, "N", "CPU threads for the model; 0 = all cores (default 0)")
        .option("workspace", 'w', "DIR",
                "the workspace (default ~/.local/share/strata/sample-workspace)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& action = parsed->positionals()[0];
    if (action == "score") return scorePairs(*parsed, workspaceOf(*parsed));
    fail("labels: unknown action '{}' (expected score)", action);
}

}  // namespace strata::app
