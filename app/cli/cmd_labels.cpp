// `strata-cli labels`: the workspace's labeling queue for scripts, tests and annotators without
// the studio. import, claim, submit, release, stats, export and queue work on the queue as the
// labeling panel does (core/store/label_queue.h), as one annotator: --annotator, by default the
// login name (on the host, for a workspace reached over SSH). `score --reward-model DIR`: labels
// where they help most. A reward model scores the pairs that nobody has labeled, and the margins go
// into the run history, where the panel's "least sure first" queue reads them; on a workspace of
// another host, the host scores them, as a job of its worker.
#include "app/cli/commands.h"
#include "app/cli/host_job.h"
#include "app/cli/workspace.h"
#include "core/align/pair_scoring.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/common/progress.h"
#include "core/common/workspace_paths.h"
#include "core/proto/offline_label_queue.h"
#include "core/proto/remote_label_queue.h"
#include "core/store/label_queue.h"

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

// The model runs on the workspace's host, as a job of its worker, beside its database.
int scoreOnHost(const ParsedArgs& parsed, const proto::WorkerTarget& workspace) {
    if (!parsed.has("reward-model"))
        fail("labels score: --reward-model DIR (a checkpoint on the host) is required");
    if (parsed.has("batch") || parsed.has("threads"))
        fail("labels score: --batch and --threads are for a workspace on this machine");
    proto::JobSpec spec;
    spec.kind = proto::JobSpec::Kind::LabelsScore;
    spec.inputs = {parsed.value("reward-model")};
    spec.output = ".";
    return runHostJob(workspace, spec);
}

// --annotator, or empty: the queue's own identity, the login here or on the workspace's host.
std::string annotatorOf(const ParsedArgs& parsed) {
    return parsed.value("annotator");
}

int64_t pairOf(const ParsedArgs& parsed, const char* action) {
    if (!parsed.has("pair")) fail("labels {}: --pair ID is required", action);
    return parsed.intValue("pair", 0);
}

int importPairs(const ParsedArgs& parsed, store::LabelQueue& queue) {
    if (parsed.positionals().size() < 2) fail("labels import: give the PAIRS.jsonl to read");
    const int64_t count = queue.importPairs(parsed.positionals()[1], annotatorOf(parsed));
    fmt::print("imported {} pairs from {}\n", count, parsed.positionals()[1]);
    return 0;
}

// One line: the pair claimed for the annotator, or {"pair": null} when none is left for them.
int claimPair(const ParsedArgs& parsed, store::LabelQueue& queue) {
    std::optional<store::PreferencePair> pair =
        queue.claim(annotatorOf(parsed), parsed.value("least-sure-of"));
    if (!parsed.flag("json")) {
        if (!pair)
            fmt::print("no pair left for {}\n", parsed.value("annotator", queue.identity()));
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

int submitLabel(const ParsedArgs& parsed, store::LabelQueue& queue) {
    store::LabelSubmission submission;
    submission.pairId = pairOf(parsed, "submit");
    if (!parsed.has("choice")) fail("labels submit: --choice a|b|tie|skip is required");
    submission.choice = store::parseChoice(parsed.value("choice"));
    submission.annotator = annotatorOf(parsed);
    submission.rationale = parsed.value("rationale");
    submission.id = parsed.value("submission");
    const bool applied = queue.submit(submission);
    const std::string annotator = parsed.value("annotator", queue.identity());
    if (const int64_t unsent = queue.unsent(); unsent > 0)
        fmt::print(
            "pair {}: {} by {}, kept on this machine until the workspace's host answers ({} "
            "labels wait)\n",
            submission.pairId, store::choiceName(submission.choice), annotator, unsent);
    else if (applied)
        fmt::print("pair {}: {} by {}\n", submission.pairId, store::choiceName(submission.choice),
                   annotator);
    else
        fmt::print("pair {}: submission {} had arrived before; nothing changed\n",
                   submission.pairId, submission.id);
    return 0;
}

int releasePair(const ParsedArgs& parsed, store::LabelQueue& queue) {
    const int64_t pairId = pairOf(parsed, "release");
    queue.release(pairId, annotatorOf(parsed));
    fmt::print("pair {} released by {}\n", pairId, parsed.value("annotator", queue.identity()));
    return 0;
}

int64_t labelsIn(const store::LabelCounts& counts) {
    return counts.numA + counts.numB + counts.numTie + counts.numSkip;
}

// Pairs and labels in the queue, each annotator's labels by choice and pace, and how well every
// two annotators agree.
int printStats(const ParsedArgs& parsed, store::LabelQueue& queue) {
    const store::QueueStats stats = queue.stats();
    if (!parsed.flag("json")) {
        fmt::print("{} pairs, {} labeled, {} labels\n", stats.all.numPairs,
                   stats.all.numLabeledPairs, labelsIn(stats.all));
        for (const store::AnnotatorProgress& progress : stats.annotators) {
            const store::LabelCounts& counts = progress.counts;
            fmt::print(
                "{}: {} labels (a {}, b {}, tie {}, skip {}), {} s a label\n", progress.annotator,
                labelsIn(counts), counts.numA, counts.numB, counts.numTie, counts.numSkip,
                progress.secondsPerLabel > 0 ? fmt::format("{:.1f}", progress.secondsPerLabel)
                                             : std::string("-"));
        }
        for (const store::AnnotatorAgreement& pair : stats.agreements)
            fmt::print("{} and {}: kappa {:.2f} over {} pairs ({:.0f}% agree)\n", pair.first,
                       pair.second, pair.agreement.kappa, pair.agreement.numComparisons,
                       100 * pair.agreement.observed);
        return 0;
    }
    common::JsonWriter json;
    json.beginObject()
        .field("pairs", stats.all.numPairs)
        .field("labeled_pairs", stats.all.numLabeledPairs)
        .field("labels", labelsIn(stats.all))
        .key("annotators")
        .beginObject();
    for (const store::AnnotatorProgress& progress : stats.annotators)
        json.key(progress.annotator)
            .beginObject()
            .field("labels", labelsIn(progress.counts))
            .field("a", progress.counts.numA)
            .field("b", progress.counts.numB)
            .field("tie", progress.counts.numTie)
            .field("skip", progress.counts.numSkip)
            .field("seconds_per_label", progress.secondsPerLabel)
            .endObject();
    json.endObject().key("agreements").beginArray();
    for (const store::AnnotatorAgreement& pair : stats.agreements)
        json.beginObject()
            .field("first", pair.first)
            .field("second", pair.second)
            .field("comparisons", pair.agreement.numComparisons)
            .field("observed", pair.agreement.observed)
            .field("kappa", pair.agreement.kappa)
            .endObject();
    json.endArray().endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

int exportLabels(const ParsedArgs& parsed, store::LabelQueue& queue) {
    if (!parsed.has("output")) fail("labels export: -o FILE.jsonl is required");
    const int64_t count = queue.exportPreferences(parsed.value("output"));
    fmt::print("wrote {} preferences to {}\n", count, parsed.value("output"));
    return 0;
}

// Shows the queue's settings, or changes the ones given (its owner only).
int queueSettings(const ParsedArgs& parsed, store::LabelQueue& queue) {
    store::QueueSettings settings = queue.settings();
    const bool changes = parsed.has("labels-per-pair") || parsed.has("claim-minutes") ||
                         parsed.has("guidelines") || parsed.has("owner");
    if (changes) {
        if (parsed.has("labels-per-pair"))
            settings.labelsPerPair = int(
                std::clamp<int64_t>(parsed.intValue("labels-per-pair", 1), INT32_MIN, INT32_MAX));
        if (parsed.has("claim-minutes"))
            settings.claimSeconds = 60 * parsed.doubleValue("claim-minutes", 10);
        if (parsed.has("guidelines")) {
            const common::MappedFile guidelines(parsed.value("guidelines"));
            if (guidelines.size() > store::kMaxGuidelinesBytes)
                fail("{}: guidelines of {} bytes are over the 1 MiB cap",
                     parsed.value("guidelines"), guidelines.size());
            settings.guidelines = std::string(guidelines.view());
        }
        if (parsed.has("owner")) settings.owner = parsed.value("owner");
        queue.configure(settings, annotatorOf(parsed));
        settings = queue.settings();
    }
    if (parsed.flag("json")) {
        fmt::print("{}\n", common::JsonWriter()
                               .beginObject()
                               .field("owner", settings.owner)
                               .field("labels_per_pair", int64_t(settings.labelsPerPair))
                               .field("claim_minutes", settings.claimSeconds / 60)
                               .field("guidelines", settings.guidelines)
                               .endObject()
                               .take());
        return 0;
    }
    fmt::print("owner: {}\nlabels per pair: {}\nclaims hold for {:g} minutes\nguidelines: {}\n",
               settings.owner.empty() ? "(none yet)" : settings.owner, settings.labelsPerPair,
               settings.claimSeconds / 60,
               settings.guidelines.empty() ? "(none)"
                                           : fmt::format("{} bytes", settings.guidelines.size()));
    return 0;
}

// A remote workspace's labels are kept on this machine until its host has them; a script holds
// only the pair it was shown.
std::unique_ptr<store::LabelQueue> labelQueueOf(const ParsedArgs& parsed) {
    if (std::optional<proto::WorkerTarget> remote = remoteWorkspaceOf(parsed))
        return std::make_unique<proto::OfflineLabelQueue>(
            std::make_unique<proto::RemoteLabelQueue>(*remote), proto::keptLabelsFile(*remote), 1);
    return std::make_unique<store::LocalLabelQueue>(common::historyFile(workspaceOf(parsed)));
}

}  // namespace

int runLabels(const Args& args) {
    ArgParser parser(
        "strata-cli labels", "ACTION [PAIRS.jsonl] [--workspace DIR] [OPTIONS]",
        "The labeling queue of a workspace's run history, as one annotator (--annotator, by\n"
        "default the login name):\n"
        "  import PAIRS.jsonl   add pairs ({prompt, chosen, rejected} or {prompt, response_a,\n"
        "                       response_b} per line)\n"
        "  claim [--json]       the next pair for this annotator, held for them a while\n"
        "  submit --pair ID --choice a|b|tie|skip [--rationale TEXT]\n"
        "  release --pair ID    give a claimed pair back to the queue\n"
        "  stats [--json]       pairs, labels, and each annotator's labels by choice\n"
        "  export -o FILE.jsonl the A/B choices as {prompt, chosen, rejected} lines\n"
        "  queue [--labels-per-pair N] [--claim-minutes M] [--guidelines FILE.md] [--owner NAME]\n"
        "                       the queue's settings; its owner (who imported first) changes them\n"
        "  score --reward-model DIR   have a reward model score every pair nobody has labeled;\n"
        "                       the queue then hands out the pairs it is least sure of first\n"
        "The workspace may be on another host: --workspace ssh://[user@]host[:port]/path, where\n"
        "the annotator is by default the login there.");
    parser
        .positional("ACTION", 1, 2, "import, claim, submit, release, stats, export, queue or score")
        .option("annotator", 'a', "NAME", "who labels (default: the login name)")
        .option("pair", 'p', "ID", "the pair to submit or release")
        .option("choice", 'c', "CHOICE", "a, b, tie or skip")
        .option("rationale", 0, "TEXT", "why, kept with the label")
        .option("submission", 0, "ID",
                "submit: an id of this label, so sending it again is harmless")
        .option("labels-per-pair", 'n', "N", "queue: labels each pair is to get")
        .option("claim-minutes", 0, "M", "queue: how long a claim holds a pair")
        .option("guidelines", 'g', "FILE", "queue: Markdown shown to annotators beside the pair")
        .option("owner", 0, "NAME", "queue: hand the queue to another owner")
        .option("least-sure-of", 0, "SCORER", "claim the pairs this reward model scored first")
        .option("output", 'o', "FILE", "where export writes")
        .flag("json", 0, "print one JSON object")
        .option("reward-model", 'r', "DIR", "score: a reward run's checkpoint")
        .option("batch", 'b', "N", "score: pairs scored together (default 16)")
        .option("threads", 0, "N", "score: CPU threads for the model; 0 = all cores (default 0)")
        .option("workspace", 'w', "WORKSPACE",
                "the workspace, a folder or ssh://[user@]host[:port]/path (default "
                "~/.local/share/strata/sample-workspace)");
    addSshOptions(parser);
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    const std::string& action = parsed->positionals()[0];
    if (action == "score") {
        if (std::optional<proto::WorkerTarget> remote = remoteWorkspaceOf(*parsed))
            return scoreOnHost(*parsed, *remote);
        return scorePairs(*parsed, workspaceOf(*parsed));
    }
    using Action = int (*)(const ParsedArgs&, store::LabelQueue&);
    static const std::map<std::string, Action> actions = {
        {"import", importPairs},  {"claim", claimPair},  {"submit", submitLabel},
        {"release", releasePair}, {"stats", printStats}, {"export", exportLabels},
        {"queue", queueSettings}};
    auto found = actions.find(action);
    if (found == actions.end())
        fail(
            "labels: unknown action '{}' (expected import, claim, submit, release, stats, export, "
            "queue or score)",
            action);
    return found->second(*parsed, *labelQueueOf(*parsed));
}

}  // namespace strata::app
