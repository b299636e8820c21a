// A reviewer's view of a team's labels on a real strata.db: agreement (Cohen's kappa) over
// everyone and between every two annotators matches a hand computation, each annotator's pace is
// the median time between their labels with breaks left out, the disagreements are the pairs whose
// decisions differ (skips aside), and a reviewer's decision is kept beside the labels, which stay
// as given, and is what the export writes for the pair.
#include "core/store/label_review.h"
#include "tests/error_of.h"

#include <QtTest>

using namespace strata;
using store::Choice;
using store::LabelStore;

class TestLabelReview : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

    // Four pairs; ana and bo agree on 1 (a,a), 2 (b,b) and 3 (a,a) and differ on 4 (a,b); cy
    // skips 4 and chooses a on 1.
    std::filesystem::path labeled(const char* name) {
        const std::filesystem::path path = m_tmp.filePath(name).toStdString();
        LabelStore labels(path);
        std::vector<store::PreferencePair> pairs;
        for (int i = 0; i < 4; ++i)
            pairs.push_back({0, "p" + std::to_string(i), "a", "b"});
        labels.addPairs(pairs);
        for (auto [pair, ana, bo] : {std::tuple{1, Choice::A, Choice::A},
                                     {2, Choice::B, Choice::B},
                                     {3, Choice::A, Choice::A},
                                     {4, Choice::A, Choice::B}}) {
            labels.label(pair, "ana", ana);
            labels.label(pair, "bo", bo);
        }
        labels.label(4, "cy", Choice::Skip);
        labels.label(1, "cy", Choice::A);
        return path;
    }

private slots:
    void agreementOverEveryoneAndBetweenTwo() {
        LabelStore labels(labeled("agreement.db"));
        store::LabelReview review(labels);
        store::Agreement all = review.agreement();
        // ana-bo on 4 pairs, plus ana-cy and bo-cy on pair 1: 6 comparisons, 5 agree.
        QCOMPARE(all.numComparisons, int64_t(6));
        QCOMPARE(all.observed, 5.0 / 6.0);

        std::vector<store::AnnotatorAgreement> pairs = review.pairwiseAgreement();
        QCOMPARE(pairs.size(), size_t(3));
        QCOMPARE(pairs[0].first, std::string("ana"));
        QCOMPARE(pairs[0].second, std::string("bo"));
        QCOMPARE(pairs[0].agreement.numComparisons, int64_t(4));
        QCOMPARE(pairs[0].agreement.observed, 0.75);
        // ana: a 3, b 1; bo: a 2, b 2 → chance = 3/4 * 2/4 + 1/4 * 2/4 = 0.5 → kappa 0.5.
        QCOMPARE(pairs[0].agreement.kappa, 0.5);
        QCOMPARE(pairs[1].second, std::string("cy"));
        QCOMPARE(pairs[1].agreement.numComparisons, int64_t(1));
        QCOMPARE(pairs[2].first, std::string("bo"));

        LabelStore empty(m_tmp.filePath("empty.db").toStdString());
        QCOMPARE(store::LabelReview(empty).agreement().numComparisons, int64_t(0));
        QVERIFY(store::LabelReview(empty).pairwiseAgreement().empty());
    }

    void paceIsTheMedianGapWithoutBreaks() {
        LabelStore labels(labeled("pace.db"));
        // ana labeled at 0, 10, 30 s, then after a lunch break at 4000 s.
        int step = 0;
        for (double at : {1000.0, 1010.0, 1030.0, 5000.0})
            labels.database()
                .prepare(
                    "UPDATE labels SET labeled_at = ?1 WHERE annotator = 'ana' AND pair_id = ?2")
                .bind(1, at)
                .bind(2, ++step)
                .run();
        std::vector<store::AnnotatorProgress> progress = store::LabelReview(labels).progress();
        QCOMPARE(progress.size(), size_t(3));
        QCOMPARE(progress[0].annotator, std::string("ana"));
        QCOMPARE(progress[0].counts.numA, int64_t(3));
        QCOMPARE(progress[0].counts.numLabeledPairs, int64_t(4));
        QCOMPARE(progress[0].secondsPerLabel, 20.0);  // gaps 10 and 20; the break left out
        QCOMPARE(progress[0].lastLabeledAt, 5000.0);
        QCOMPARE(progress[2].annotator, std::string("cy"));
        QCOMPARE(progress[2].counts.numSkip, int64_t(1));
    }

    void aReviewerDecidesADisagreement() {
        LabelStore labels(labeled("adjudicate.db"));
        store::LabelReview review(labels);
        std::vector<store::Disagreement> open = review.disagreements();
        QCOMPARE(open.size(), size_t(1));
        QCOMPARE(open[0].pair.id, int64_t(4));
        QCOMPARE(open[0].labels.size(), size_t(3));  // cy's skip shown, not counted
        QVERIFY(!open[0].decision);

        review.adjudicate(4, "rev", Choice::B, "b answers the question");
        review.adjudicate(4, "rev", Choice::A, "on reflection, a");  // replaces
        std::vector<store::Disagreement> decided = review.disagreements();
        QCOMPARE(decided.size(), size_t(1));
        QVERIFY(decided[0].decision);
        QCOMPARE(decided[0].decision->reviewer, std::string("rev"));
        QVERIFY(decided[0].decision->choice == Choice::A);
        QCOMPARE(decided[0].decision->note, std::string("on reflection, a"));
        QVERIFY(labels.labels("bo")[3].choice == Choice::B);  // the annotators' labels stay
        // The export has the decision for pair 4, once, in place of ana's a and bo's b.
        std::vector<std::string> lines;
        store::ExportCursor cursor;
        for (std::vector<std::string> page; !(page = labels.preferenceLines(cursor, 2)).empty();)
            lines.insert(lines.end(), page.begin(), page.end());
        QCOMPARE(lines.size(), size_t(8));  // 3 for pair 1, 2 each for pairs 2 and 3, 1 for 4
        QCOMPARE(lines.back(), std::string(R"({"prompt":"p3","chosen":"a","rejected":"b"})"));

        QString error = errorOf([&] { review.adjudicate(99, "rev", Choice::A); });
        QVERIFY2(error.contains("no preference pair with id 99"), qPrintable(error));
        error = errorOf([&] { review.adjudicate(4, "", Choice::A); });
        QVERIFY2(error.contains("a decision needs a reviewer name"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestLabelReview)
#include "tst_label_review.moc"
