// The label store on a real strata.db: its connection is synchronous=FULL, a label given is read
// back by a separate connection after the store is closed, each annotator is offered the pairs
// they have not labeled, labeling again replaces the label, counts add up, the export holds one
// {prompt, chosen, rejected} line per A or B choice and nothing else, annotators sharing a queue
// get different pairs (unless asked to label each twice) and undo gives a pair back, a reward
// model's margins put its least sure pairs first in the queue, position bias matches a hand
// computation, imports read TRL's format, the queue's settings are its owner's, a claim expires
// after the queue's claim time, a label sent twice is applied once, an export in pages is the
// whole export, and bad input (an unknown pair, no annotator, an empty response, an unknown
// choice, a bad line in an import, a setting out of range) gets a one-line error.
#include "core/store/label_store.h"
#include "core/store/run_history.h"
#include "tests/error_of.h"

#include <QtTest>

#include <fstream>
#include <sstream>

using namespace strata;
using store::Choice;
using store::LabelStore;
namespace fs = std::filesystem;

namespace {

std::vector<store::PreferencePair> samplePairs() {
    return {
        {0, "What is 2+2?", "4", "5", "run:12/step-800", "run:12/step-400"},
        {0, "Say \"hi\"\nin French", "salut", "bonjour", "file:prefs.jsonl:3",
         "file:prefs.jsonl:4"},
        {0, "Capital of France?", "Paris", "Lyon", "run:3/step-100", "run:4/step-100"},
    };
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

class TestLabelStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path file(const char* name) const { return fs::path(m_tmp.filePath(name).toStdString()); }

private slots:
    void labelsAreDurableWhenLabelReturns() {
        const fs::path path = file("strata.db");
        int64_t pairId = 0;
        {
            store::RunHistory history(path);  // the run history shares the file
            LabelStore labels(path);
            store::Statement synchronous = labels.database().prepare("PRAGMA synchronous");
            synchronous.step();
            QCOMPARE(synchronous.columnInt(0), int64_t(2));  // FULL
            pairId = labels.addPairs(samplePairs()).at(1);
            labels.label(pairId, "ana", Choice::B, "more natural");
        }
        // A separate connection that never saw the store's.
        store::Database reader(path, {store::Durability::Normal, 1000, true});
        store::Statement select =
            reader.prepare("SELECT annotator, choice, rationale FROM labels WHERE pair_id = ?1");
        select.bind(1, pairId);
        QVERIFY(select.step());
        QCOMPARE(select.columnText(0), std::string("ana"));
        QCOMPARE(select.columnText(1), std::string("b"));
        QCOMPARE(select.columnText(2), std::string("more natural"));
        LabelStore reopened(path);
        QCOMPARE(reopened.labels().size(), size_t(1));
        QCOMPARE(reopened.pair(pairId).sourceA, std::string("file:prefs.jsonl:3"));
    }

    void eachAnnotatorGetsWhatTheyHaveNotLabeled() {
        LabelStore labels(file("next.db"));
        std::vector<int64_t> ids = labels.addPairs(samplePairs());
        QCOMPARE(ids.size(), size_t(3));
        QVERIFY(ids[0] < ids[1] && ids[1] < ids[2]);
        QCOMPARE(labels.claimNext("ana", 2)->id, ids[0]);
        labels.label(ids[0], "ana", Choice::A);
        labels.label(ids[1], "ana", Choice::Skip);  // a skipped pair is not offered again
        std::optional<store::PreferencePair> next = labels.claimNext("ana", 2);
        QVERIFY(next);
        QCOMPARE(next->id, ids[2]);
        QCOMPARE(next->prompt, std::string("Capital of France?"));
        QCOMPARE(next->responseA, std::string("Paris"));
        QCOMPARE(next->responseB, std::string("Lyon"));
        QCOMPARE(next->sourceB, std::string("run:4/step-100"));
        QCOMPARE(labels.claimNext("bo", 2)->id, ids[0]);  // another annotator starts over
        labels.label(ids[2], "ana", Choice::Tie);
        QVERIFY(!labels.claimNext("ana", 2));

        // Labeling again replaces: one row per pair and annotator.
        labels.label(ids[1], "ana", Choice::B, "changed my mind");
        labels.label(ids[0], "bo", Choice::B);
        std::vector<store::Label> all = labels.labels();
        QCOMPARE(all.size(), size_t(4));
        QCOMPARE(all[1].pairId, ids[0]);
        QCOMPARE(all[1].annotator, std::string("bo"));
        QCOMPARE(all[2].annotator, std::string("ana"));
        QVERIFY(all[2].choice == Choice::B);
        QCOMPARE(all[2].rationale, std::string("changed my mind"));
        QVERIFY(all[2].labeledAt > 1.6e9);
        QCOMPARE(labels.labels("bo").size(), size_t(1));

        store::LabelCounts everyone = labels.counts();
        QCOMPARE(everyone.numPairs, int64_t(3));
        QCOMPARE(everyone.numLabeledPairs, int64_t(3));
        QCOMPARE(everyone.numA, int64_t(1));
        QCOMPARE(everyone.numB, int64_t(2));
        QCOMPARE(everyone.numTie, int64_t(1));
        QCOMPARE(everyone.numSkip, int64_t(0));
        store::LabelCounts bo = labels.counts("bo");
        QCOMPARE(bo.numPairs, int64_t(3));
        QCOMPARE(bo.numLabeledPairs, int64_t(1));
        QCOMPARE(bo.numB, int64_t(1));
        QCOMPARE(labels.counts("nobody").numLabeledPairs, int64_t(0));
    }

    void theExportHoldsTheABChoices() {
        LabelStore labels(file("export.db"));
        std::vector<int64_t> ids = labels.addPairs(samplePairs());
        labels.label(ids[0], "ana", Choice::A);
        labels.label(ids[1], "ana", Choice::B);
        labels.label(ids[1], "bo", Choice::Tie);
        labels.label(ids[2], "ana", Choice::Skip);
        const fs::path out = file("prefs.jsonl");
        QCOMPARE(labels.exportPreferences(out), int64_t(2));
        QCOMPARE(readFile(out),
                 std::string("{\"prompt\":\"What is 2+2?\",\"chosen\":\"4\",\"rejected\":\"5\"}\n"
                             "{\"prompt\":\"Say \\\"hi\\\"\\nin French\",\"chosen\":\"bonjour\","
                             "\"rejected\":\"salut\"}\n"));
        for (const auto& entry : fs::directory_iterator(out.parent_path()))
            QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos,
                     entry.path().c_str());
        QString error = errorOf([&] { labels.exportPreferences(file("missing/dir/p.jsonl")); });
        QVERIFY2(error.contains("p.jsonl: cannot write"), qPrintable(error));
    }

    void annotatorsSharingAQueueGetDifferentPairs() {
        LabelStore labels(file("claims.db"));
        labels.addPairs(samplePairs());
        std::optional<store::PreferencePair> ana = labels.claimNext("ana");
        std::optional<store::PreferencePair> bo = labels.claimNext("bo");
        QCOMPARE(ana->id, int64_t(1));
        QCOMPARE(bo->id, int64_t(2));                       // pair 1 is ana's while she looks at it
        QCOMPARE(labels.claimNext("ana")->id, int64_t(1));  // still hers, e.g. after a restart
        labels.label(1, "ana", Choice::A, {}, /*swapped=*/true);
        QCOMPARE(labels.claimNext("ana")->id, int64_t(3));
        // Labeled once is done when each pair is labeled once; asked for twice, bo gets it too.
        labels.label(2, "bo", Choice::B);
        QVERIFY(!labels.claimNext("bo", 1));  // 1 and 2 are labeled, 3 is ana's
        QCOMPARE(labels.claimNext("cy", 2)->id, int64_t(1));
        QVERIFY(labels.labels("ana").at(0).swapped);

        // Undo takes the label back and gives the pair to its annotator again.
        labels.unlabel(1, "ana");
        QVERIFY(labels.labels("ana").empty());
        QCOMPARE(labels.claimNext("ana", 2)->id, int64_t(1));
    }

    // A desktop keeps a few pairs in hand to label offline; the others get the rest.
    void anAnnotatorHoldsSeveralPairs() {
        LabelStore labels(file("in-hand.db"));
        labels.addPairs(samplePairs());
        std::vector<store::PreferencePair> ana = labels.claimUpTo("ana", 2);
        QCOMPARE(ana.size(), size_t(2));
        QCOMPARE(ana[1].id, int64_t(2));
        QCOMPARE(labels.claimUpTo("bo", 2).size(), size_t(1));  // pair 3 is all that is left
        QCOMPARE(labels.claimUpTo("ana", 1).at(0).id, int64_t(1));
        labels.label(1, "ana", Choice::A);
        QCOMPARE(labels.claimUpTo("ana", 5).at(0).id, int64_t(2));
        QString error = errorOf([&] { labels.claimUpTo("ana", 0); });
        QVERIFY2(error.contains("an annotator holds 1 to 1000 pairs at once, not 0"),
                 qPrintable(error));
    }

    void aReleasedPairGoesToTheNextAnnotator() {
        LabelStore labels(file("release.db"));
        labels.addPairs(samplePairs());
        QCOMPARE(labels.claimNext("ana")->id, int64_t(1));
        QCOMPARE(labels.claimNext("bo")->id, int64_t(2));
        labels.release(1, "ana");
        QCOMPARE(labels.claimNext("cy")->id, int64_t(1));
        QString error = errorOf([&] { labels.release(99, "ana"); });
        QVERIFY2(error.contains("no preference pair with id 99"), qPrintable(error));
    }

    void theLeastSurePairsComeFirst() {
        LabelStore labels(file("scores.db"));
        std::vector<store::PreferencePair> pairs = samplePairs();
        pairs.push_back({0, "Largest of 3 9?", "9", "3", "", ""});
        labels.addPairs(pairs);
        labels.label(1, "ana", Choice::A);
        // Only pairs nobody has labeled are worth scoring.
        std::vector<store::PreferencePair> unscored = labels.unscoredPairs("runs/rm/step-4");
        QCOMPARE(unscored.size(), size_t(3));
        QCOMPARE(unscored[0].id, int64_t(2));
        labels.recordScores("runs/rm/step-4", {{2, 1.5}, {3, -0.1}});
        QCOMPARE(labels.unscoredPairs("runs/rm/step-4").size(), size_t(1));  // pair 4
        QCOMPARE(labels.unscoredPairs("runs/other/step-9").size(), size_t(3));
        QCOMPARE(labels.scorers(), (std::vector<std::string>{"runs/rm/step-4"}));
        QCOMPARE(labels.scoredPairs("runs/rm/step-4"), int64_t(2));

        // Smallest |margin| first, unscored pairs after the scored ones; by id without a scorer.
        QCOMPARE(labels.claimNext("bo", 1, "runs/rm/step-4")->id, int64_t(3));
        labels.label(3, "bo", Choice::B);
        QCOMPARE(labels.claimNext("bo", 1, "runs/rm/step-4")->id, int64_t(2));
        labels.label(2, "bo", Choice::A);
        QCOMPARE(labels.claimNext("bo", 1, "runs/rm/step-4")->id, int64_t(4));
        QCOMPARE(labels.claimNext("cy", 2)->id, int64_t(1));

        // Scoring again replaces a margin; an unknown pair stores nothing.
        labels.recordScores("runs/rm/step-4", {{2, 0.01}});
        QString error = errorOf([&] {
            labels.recordScores("runs/rm/step-4", {{4, 0.2}, {99, 1}});
        });
        QVERIFY2(error.contains("no preference pair with id 99"), qPrintable(error));
        QCOMPARE(labels.scoredPairs("runs/rm/step-4"), int64_t(2));
    }

    void positionBias() {
        LabelStore labels(file("bias.db"));
        std::vector<store::PreferencePair> pairs;
        for (int i = 0; i < 4; ++i)
            pairs.push_back({0, "p" + std::to_string(i), "a", "b"});
        labels.addPairs(pairs);
        labels.label(1, "ana", Choice::A, {}, false);
        labels.label(1, "bo", Choice::A, {}, true);
        labels.label(2, "ana", Choice::B, {}, false);
        labels.label(2, "bo", Choice::B, {}, false);
        labels.label(3, "ana", Choice::A, {}, false);
        labels.label(3, "bo", Choice::A, {}, false);
        labels.label(4, "ana", Choice::A, {}, true);
        labels.label(4, "bo", Choice::B, {}, false);
        labels.label(4, "cy", Choice::Skip);  // skips do not count
        store::PositionBias ana = labels.positionBias("ana");
        QCOMPARE(ana.numDecisions, int64_t(4));
        // ana's left side won on pairs 1 and 3 (a shown left); on 2 the right won; on 4 (a on the
        // right, swapped) the right won.
        QCOMPARE(ana.leftWins, 0.5);
        store::PositionBias all = labels.positionBias();
        QCOMPARE(all.numDecisions, int64_t(8));
        // bo: pair 1 (a chosen, swapped: right), 2 (b, right), 3 (a, left), 4 (b, right) → 1 of 4.
        QCOMPARE(all.leftWins, 3.0 / 8.0);
    }

    // The queue's settings are its owner's: whoever imports first or configures first.
    void theQueueSettingsBelongToTheirOwner() {
        LabelStore labels(file("settings.db"));
        store::QueueSettings settings = labels.queueSettings();
        QCOMPARE(settings.owner, std::string());
        QCOMPARE(settings.labelsPerPair, 1);
        QCOMPARE(settings.claimSeconds, 600.0);
        labels.addPairs(samplePairs(), "ana");
        labels.addPairs(samplePairs(), "bo");  // the queue stays ana's
        QCOMPARE(labels.queueSettings().owner, std::string("ana"));

        settings.labelsPerPair = 3;
        settings.claimSeconds = 120;
        settings.guidelines = "# Prefer the correct answer";
        QString error = errorOf([&] { labels.configureQueue(settings, "bo"); });
        QVERIFY2(error.contains("settings.db: the labeling queue belongs to ana; only they can "
                                "change its settings"),
                 qPrintable(error));
        labels.configureQueue(settings, "ana");
        settings.owner = "bo";  // handed on
        labels.configureQueue(settings, "ana");
        store::QueueSettings read = labels.queueSettings();
        QCOMPARE(read.owner, std::string("bo"));
        QCOMPARE(read.labelsPerPair, 3);
        QCOMPARE(read.claimSeconds, 120.0);
        QCOMPARE(read.guidelines, settings.guidelines);

        settings.labelsPerPair = 0;
        error = errorOf([&] { labels.configureQueue(settings, "bo"); });
        QVERIFY2(error.contains("labels per pair must be 1 to 1000, not 0"), qPrintable(error));
        settings.labelsPerPair = 1;
        settings.claimSeconds = 8 * 24 * 3600;
        error = errorOf([&] { labels.configureQueue(settings, "bo"); });
        QVERIFY2(error.contains("a claim must hold a pair for 1 minute to 7 days"),
                 qPrintable(error));
        settings.claimSeconds = 600;
        settings.guidelines.assign((size_t(1) << 20) + 1, 'x');
        error = errorOf([&] { labels.configureQueue(settings, "bo"); });
        QVERIFY2(error.contains("over the 1 MiB cap"), qPrintable(error));
        QCOMPARE(labels.queueSettings().labelsPerPair, 3);  // nothing changed
    }

    // A closed laptop holds its pair for the queue's claim time only. A label that comes after
    // the pair got its labels from someone else is kept.
    void aClaimExpiresAfterTheQueuesClaimTime() {
        LabelStore labels(file("expiry.db"));
        labels.addPairs(samplePairs(), "owner");
        labels.configureQueue({"owner", 1, 120, ""}, "owner");
        QCOMPARE(labels.claimNext("ana")->id, int64_t(1));
        QCOMPARE(labels.claimNext("bo")->id, int64_t(2));
        labels.database()
            .prepare(
                "UPDATE label_claims SET claimed_at = claimed_at - 121 WHERE annotator = 'ana'")
            .run();
        QCOMPARE(labels.claimNext("cy")->id, int64_t(1));
        labels.label(1, "cy", Choice::A);
        QVERIFY(labels.label(1, "ana", Choice::B));  // late, and kept
        QCOMPARE(labels.labels().size(), size_t(2));
    }

    void aLabelSentAgainIsAppliedOnce() {
        LabelStore labels(file("resend.db"));
        labels.addPairs(samplePairs());
        QVERIFY(labels.label(2, "ana", Choice::A, "first", false, "laptop-1"));
        QVERIFY(!labels.label(2, "ana", Choice::B, "again", false, "laptop-1"));
        std::vector<store::Label> given = labels.labels();
        QCOMPARE(given.size(), size_t(1));
        QVERIFY(given[0].choice == Choice::A);
        QCOMPARE(given[0].rationale, std::string("first"));
        QVERIFY(labels.label(2, "ana", Choice::B, "changed her mind", false, "laptop-2"));
        QVERIFY(labels.labels()[0].choice == Choice::B);
        // An unknown pair records no submission either.
        QVERIFY(
            !errorOf([&] { labels.label(99, "ana", Choice::A, {}, false, "laptop-3"); }).isEmpty());
        QVERIFY(labels.label(1, "ana", Choice::A, {}, false, "laptop-3"));
    }

    // An export in pages (what a remote export reads) is the whole export, line for line.
    void theExportReadsInPages() {
        LabelStore labels(file("pages.db"));
        labels.addPairs(samplePairs());
        for (const char* annotator : {"ana", "bo"})
            for (int64_t pair = 1; pair <= 3; ++pair)
                labels.label(pair, annotator, pair == 2 ? Choice::Tie : Choice::A);
        std::string paged;
        store::ExportCursor cursor;
        for (;;) {
            std::vector<std::string> lines = labels.preferenceLines(cursor, 1);
            if (lines.empty()) break;
            QCOMPARE(lines.size(), size_t(1));
            paged += lines[0] + "\n";
        }
        QCOMPARE(labels.exportPreferences(file("whole.jsonl")), int64_t(4));
        QCOMPARE(paged, readFile(file("whole.jsonl")));
        QCOMPARE(cursor.pairId, int64_t(3));
        QCOMPARE(cursor.annotator, std::string("bo"));
    }

    void importReadsTrlAndAbFormats() {
        fs::path jsonl = file("prefs.jsonl");
        std::ofstream(jsonl)
            << "{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\"}\n"
            << "\n"
            << "{\"prompt\": \"hi\", \"response_a\": \"salut\", \"response_b\": \"yo\"}\n";
        LabelStore labels(file("import.db"));
        QCOMPARE(labels.importPreferences(jsonl), int64_t(2));
        store::PreferencePair first = labels.pair(1);
        QCOMPARE(first.responseA, std::string("4"));
        QCOMPARE(first.sourceA, std::string("file:prefs.jsonl:1:chosen"));
        QCOMPARE(labels.pair(2).sourceB, std::string("file:prefs.jsonl:3:b"));

        fs::path bad = file("bad.jsonl");
        std::ofstream(bad) << "{\"prompt\": \"x\", \"chosen\": \"y\", \"rejected\": \"z\"}\n"
                           << "{\"prompt\": \"x\", \"chosen\": \"y\"}\n";
        QString error = errorOf([&] { labels.importPreferences(bad); });
        QVERIFY2(error.contains("bad.jsonl:2:"), qPrintable(error));
        QCOMPARE(labels.counts().numPairs, int64_t(2));  // nothing of bad.jsonl was added
        std::ofstream(bad) << "not json\n";
        error = errorOf([&] { labels.importPreferences(bad); });
        QVERIFY2(error.contains("bad.jsonl:1: not a JSON object"), qPrintable(error));
        QVERIFY(errorOf([&] {
                    labels.importPreferences(file("missing.jsonl"));
                }).contains("missing.jsonl: cannot be read"));
    }

    void badInputGetsOneLineErrors() {
        LabelStore labels(file("errors.db"));
        std::vector<int64_t> ids = labels.addPairs(samplePairs());
        QString error = errorOf([&] { labels.label(999, "ana", Choice::A); });
        QVERIFY2(error.contains("errors.db: no preference pair with id 999"), qPrintable(error));
        error = errorOf([&] { labels.label(ids[0], "", Choice::A); });
        QVERIFY2(error.contains("a label needs an annotator name"), qPrintable(error));
        error = errorOf([&] { labels.claimNext(""); });
        QVERIFY2(error.contains("a label needs an annotator name"), qPrintable(error));
        error = errorOf([&] { labels.addPairs({samplePairs()[0], {0, "prompt", "a", ""}}); });
        QVERIFY2(error.contains("preference pair 2 of 2 has an empty response B; no pairs were "
                                "added"),
                 qPrintable(error));
        QCOMPARE(labels.counts().numPairs, int64_t(3));
        error = errorOf([&] { store::parseChoice("maybe"); });
        QVERIFY2(error.contains("unknown preference choice 'maybe' (expected a, b, tie or skip)"),
                 qPrintable(error));
        QVERIFY(store::parseChoice("tie") == Choice::Tie);
        QVERIFY(labels.labels().empty());
    }
};

QTEST_GUILESS_MAIN(TestLabelStore)
#include "tst_label_store.moc"
