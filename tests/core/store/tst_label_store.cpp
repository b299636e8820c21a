// The label store on a real strata.db: its connection is synchronous=FULL, a label given is read
// back by a separate connection after the store is closed, each annotator is offered the pairs
// they have not labeled, labeling again replaces the label, counts add up, the export holds one
// {prompt, chosen, rejected} line per A or B choice and nothing else, and bad input (an unknown
// pair, no annotator, an empty response, an unknown choice) gets a one-line error.
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
        QCOMPARE(labels.nextUnlabeled("ana")->id, ids[0]);
        labels.label(ids[0], "ana", Choice::A);
        labels.label(ids[1], "ana", Choice::Skip);  // a skipped pair is not offered again
        std::optional<store::PreferencePair> next = labels.nextUnlabeled("ana");
        QVERIFY(next);
        QCOMPARE(next->id, ids[2]);
        QCOMPARE(next->prompt, std::string("Capital of France?"));
        QCOMPARE(next->responseA, std::string("Paris"));
        QCOMPARE(next->responseB, std::string("Lyon"));
        QCOMPARE(next->sourceB, std::string("run:4/step-100"));
        QCOMPARE(labels.nextUnlabeled("bo")->id, ids[0]);  // another annotator starts over
        labels.label(ids[2], "ana", Choice::Tie);
        QVERIFY(!labels.nextUnlabeled("ana"));

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

    void badInputGetsOneLineErrors() {
        LabelStore labels(file("errors.db"));
        std::vector<int64_t> ids = labels.addPairs(samplePairs());
        QString error = errorOf([&] { labels.label(999, "ana", Choice::A); });
        QVERIFY2(error.contains("errors.db: no preference pair with id 999"), qPrintable(error));
        error = errorOf([&] { labels.label(ids[0], "", Choice::A); });
        QVERIFY2(error.contains("a label needs an annotator name"), qPrintable(error));
        error = errorOf([&] { labels.nextUnlabeled(""); });
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
