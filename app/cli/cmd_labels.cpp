// `strata-cli labels`: the workspace's labeling queue for scripts, tests and annotators without
// the studio. import, claim, submit, release, stats and export work on the queue as the labeling
// panel does (core/store/label_store.h), as one annotator: --annotator, by default the login
// name. `score --reward-model DIR`: labels where they help most. A reward model scores the pairs
// that nobody has labeled, and the margins go into the run history, where the panel's "least
// sure first" queue reads them.
#include "app/cli/commands.h"
#include "app/cli/workspace.h"
#include "core/align/pair_scoring.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/login_name.h"
#include "core/common/progress.h"
#include "core/common/workspace_paths.h"
#include "core/store/label_store.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>

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

// --annotator, or the login name: who labels is who logged in, locally or over SSH.
std::string annotatorOf(const ParsedArgs& parsed) {
    if (parsed.has("annotator")) return parsed.value("annotator");
    std::string login = common::loginName();
    if (login.empty()) fail("labels: no login name to label as; give --annotator NAME");
    return login;
}

int64_t pairOf(const ParsedArgs& parsed, const char* action) {
    if (!parsed.has("pair")) fail("labels {}: --pair ID is required", action);
    return parsed.intValue("pair", 0);
}

int importPairs(const ParsedArgs& parsed, store::LabelStore& store) {
    if (parsed.positionals().size() < 2) fail("labels import: give the PAIRS.jsonl to read");
    const int64_t count = store.importPreferences(parsed.positionals()[1]);
    fmt::print("imported {} pairs from {}\n", count, parsed.positionals()[1]);
    return 0;
}

// One line: the pair claimed for the annotator, or {"pair": null} when none is left for them.
int claimPair(const ParsedArgs& parsed, store::LabelStore& store) {
    const int64_t labelsPerPair = parsed.intValue("labels-per-pair", 1);
    if (labelsPerPair < 1 || labelsPerPair > 1000)
        fail("--labels-per-pair must be between 1 and 1000, not {}", labelsPerPair);
    const std::string annotator = annotatorOf(parsed);
    std::optional<store::PreferencePair> pair =
        store.claimNext(annotator, int(labelsPerPair), parsed.value("least-sure-of"));
    if (!parsed.flag("json")) {
        if (!pair)
            fmt::print("no pair left for {}\n", annotator);
        else
            fmt::print("pair {}\nprompt: {}\na: {}\nb: {}\n", pair->id, pair->prompt,
                       pair->responseA, pair->responseB);
        return 0;
    }
    common::JsonWriter json;
    json.beginObject().key("pair");
    if (pair)
        json.value(pair->id)
            .field("prompt", pair->prompt)
            .field("a", pair->responseA)
            .field("b", pair->responseB);
    else
        json.rawValue("null");
    json.endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

int submitLabel(const ParsedArgs& parsed, store::LabelStore& store) {
    const int64_t pairId = pairOf(parsed, "submit");
    if (!parsed.has("choice")) fail("labels submit: --choice a|b|tie|skip is required");
    const store::Choice choice = store::parseChoice(parsed.value("choice"));
    const std::string annotator = annotatorOf(parsed);
    store.label(pairId, annotator, choice, parsed.value("rationale"));
    fmt::print("pair {}: {} by {}\n", pairId, store::choiceName(choice), annotator);
    return 0;
}

int releasePair(const ParsedArgs& parsed, store::LabelStore& store) {
    const int64_t pairId = pairOf(parsed, "release");
    const std::string annotator = annotatorOf(parsed);
    store.release(pairId, annotator);
    fmt::print("pair {} released by {}\n", pairId, annotator);
    return 0;
}

// Pairs and labels in the queue, then each annotator's labels by choice.
int printStats(const ParsedArgs& parsed, store::LabelStore& store) {
    const store::LabelCounts all = store.counts();
    // One label per pair and annotator, so an annotator's labeled pairs are their labels.
    std::map<std::string, store::LabelCounts> byAnnotator;
    for (const store::Label& label : store.labels())
        if (!byAnnotator.contains(label.annotator))
            byAnnotator[label.annotator] = store.counts(label.annotator);
    const int64_t numLabels = all.numA + all.numB + all.numTie + all.numSkip;
    if (!parsed.flag("json")) {
        fmt::print("{} pairs, {} labeled, {} labels\n", all.numPairs, all.numLabeledPairs,
                   numLabels);
        for (const auto& [annotator, counts] : byAnnotator)
            fmt::print("{}: {} labels (a {}, b {}, tie {}, skip {})\n", annotator,
                       counts.numLabeledPairs, counts.numA, counts.numB, counts.numTie,
                       counts.numSkip);
        return 0;
    }
    common::JsonWriter json;
    json.beginObject()
        .field("pairs", all.numPairs)
        .field("labeled_pairs", all.numLabeledPairs)
        .field("labels", numLabels)
        .key("annotators")
        .beginObject();
    for (const auto& [annotator, counts] : byAnnotator)
        json.key(annotator)
            .beginObject()
            .field("labels", counts.numLabeledPairs)
            .field("a", counts.numA)
            .field("b", counts.numB)
            .field("tie", counts.numTie)
            .field("skip", counts.numSkip)
            .endObject();
    json.endObject().endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

int exportLabels(const ParsedArgs& parsed, store::LabelStore& store) {
    if (!parsed.has("output")) fail("labels export: -o FILE.jsonl is required");
    const int64_t count = store.exportPreferences(parsed.value("output"));
    fmt::print("wrote {} preferences to {}\n", count, parsed.value("output"));
    return 0;
}

}  // namespace

int runLabels(const Args& args) {
    ArgParser parser(
        "strata-cli labels", "ACTION [PAIRS.jsonl] [--workspace DIR] [OPTIONS]",
        "The labeling queue of a workspace's run history, as one annotator (--annotator, by\n"
        "default the login name):\n"
        "  import PAIRS.jsonl   add pairs ({prompt, chosen, rejected} or {prompt, response_a,\n"
        "                       response_b} per line)\n"
        "  claim [--json]       the next pair for this annotator, held for them for ten minutes\n"
        "  submit --pair ID --choice a|b|tie|skip [--rationale TEXT]\n"
        "  release --pair ID    give a claimed pair back to the queue\n"
        "  stats [--json]       pairs, labels, and each annotator's labels by choice\n"
        "  export -o FILE.jsonl the A/B choices as {prompt, chosen, rejected} lines\n"
        "  score --reward-model DIR   have a reward model score every pair nobody has labeled;\n"
        "                       the queue then hands out the pairs it is least sure of first");
    parser.positional("ACTION", 1, 2, "import, claim, submit, release, stats, export or score")
        .option("annotator", 'a', "NAME", "who labels (default: the login name)")
        .option("pair", 'p', "ID", "the pair to submit or release")
        .option("choice", 'c', "CHOICE", "a, b, tie or skip")
        .option("rationale", 0, "TEXT", "why, kept with the label")
        .option("labels-per-pair", 'n', "N", "labels each pair is to get (default 1)")
        .option("least-sure-of", 0, "SCORER", "claim the pairs this reward model scored first")
        .option("output", 'o', "FILE", "where export writes")
        .flag("json", 0, "print one JSON object")
        .option("reward-model", 'r', "DIR", "score: a reward run's checkpoint")
        .option("batch", 'b', "N", "score: pairs scored together (default 16)")
        .option("threads", 0, "N", "score: CPU threads for the model; 0 = all cores (default 0)")
        .option("workspace", 'w', "DIR",
                "the workspace (default ~/.local/share/strata/sample-workspace)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& action = parsed->positionals()[0];
    const fs::path workspace = workspaceOf(*parsed);
    if (action == "score") return scorePairs(*parsed, workspace);
    using Action = int (*)(const ParsedArgs&, store::LabelStore&);
    static const std::map<std::string, Action> actions = {
        {"import", importPairs},  {"claim", claimPair},  {"submit", submitLabel},
        {"release", releasePair}, {"stats", printStats}, {"export", exportLabels}};
    auto found = actions.find(action);
    if (found == actions.end())
        fail(
            "labels: unknown action '{}' (expected import, claim, submit, release, stats, export "
            "or score)",
            action);
    store::LabelStore store(common::historyFile(workspace));
    return found->second(*parsed, store);
}

}  // namespace strata::app
