// RepetitionFilter: the hashed fast path against the plain std::string reference on seeded
// documents with planted repetition, and each rule on a document made to break it.
#include "core/cleaning/repetition_filter.h"
#include "core/cleaning/text_profile.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QtTest>

using namespace strata::cleaning;

namespace {

struct Doc {
    std::string text;
    TextProfile profile;
    explicit Doc(std::string t) : text(std::move(t)) { profile.build(text); }
};

// Prose with repeated lines, paragraphs and phrases planted at random.
std::string repetitiveDocument(std::mt19937& rng) {
    std::uniform_int_distribution<int> words(5, 120);
    std::uniform_int_distribution<int> parts(1, 8);
    std::uniform_int_distribution<int> kind(0, 3);
    std::vector<std::string> pieces;
    std::string text;
    for (int i = parts(rng); i > 0; --i) {
        int k = kind(rng);
        std::string piece;
        if (k == 0 || pieces.empty()) {
            piece = strata::cleaning::test::prose(rng, words(rng));
        } else {
            piece = pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(rng)];
            if (k == 2) piece = piece.substr(0, piece.size() / 2);
        }
        pieces.push_back(piece);
        text += (text.empty() ? "" : (k == 3 ? "\n" : "\n\n")) + piece;
    }
    return text;
}

}  // namespace

class TestRepetitionFilter : public QObject {
    Q_OBJECT

private slots:
    void fastMatchesReference() {
        std::mt19937 rng(11);
        RepetitionFilter filter;
        for (int i = 0; i < 300; ++i) {
            Doc doc(repetitiveDocument(rng));
            RepetitionStats fast = filter.measure(doc.profile);
            RepetitionStats reference = measureRepetitionReference(doc.profile);
            QCOMPARE(fast.duplicateLineFraction, reference.duplicateLineFraction);
            QCOMPARE(fast.duplicateParagraphFraction, reference.duplicateParagraphFraction);
            QCOMPARE(fast.duplicateLineCharFraction, reference.duplicateLineCharFraction);
            QCOMPARE(fast.duplicateParagraphCharFraction, reference.duplicateParagraphCharFraction);
            for (int k = 0; k < kNumTopNgrams; ++k)
                QCOMPARE(fast.topNgramCharFraction[size_t(k)],
                         reference.topNgramCharFraction[size_t(k)]);
            for (int k = 0; k < kNumDuplicateNgrams; ++k)
                QCOMPARE(fast.duplicateNgramCharFraction[size_t(k)],
                         reference.duplicateNgramCharFraction[size_t(k)]);
            // check() stops early but must agree with judging the full measurement.
            RepetitionOptions options;
            QCOMPARE(filter.check(doc.profile, options), judgeRepetition(reference, options));
        }
    }

    void knownValues() {
        // Lines: "a b", "c d", "a b" -> one duplicate of three lines, 3 of 11 bytes.
        Doc doc("a b\nc d\na b");
        RepetitionStats stats = RepetitionFilter().measure(doc.profile);
        QCOMPARE(stats.duplicateLineFraction, 1.0 / 3.0);
        QCOMPARE(stats.duplicateLineCharFraction, 3.0 / 11.0);
        QCOMPARE(stats.duplicateParagraphFraction, 0.0);
        // Top 2-gram "a b" twice: (3 bytes) * 2 / 11.
        QCOMPARE(stats.topNgramCharFraction[0], 6.0 / 11.0);
    }

    void eachRuleFires() {
        RepetitionFilter filter;
        RepetitionOptions options;
        std::mt19937 rng(5);
        std::string prose = strata::cleaning::test::prose(rng, 300);
        QCOMPARE(filter.check(Doc(prose).profile, options), RejectReason::Kept);

        std::string lines;
        for (int i = 0; i < 10; ++i)
            lines += (i % 2 ? "same line again\n" : strata::cleaning::test::prose(rng, 12) + "\n");
        QCOMPARE(filter.check(Doc(lines).profile, options), RejectReason::DuplicateLines);

        // Three long unique paragraphs and a one-line note repeated: few duplicate lines, but
        // two of six paragraphs are duplicates.
        std::string paragraphs;
        for (int p = 0; p < 3; ++p) {
            for (int l = 0; l < 10; ++l)
                paragraphs += strata::cleaning::test::prose(rng, 12) + "\n";
            paragraphs += "\nshort note\n\n";
        }
        QCOMPARE(filter.check(Doc(paragraphs).profile, options), RejectReason::DuplicateParagraphs);

        std::string spam = prose;
        for (int i = 0; i < 120; ++i)
            spam += " buy now";
        QCOMPARE(filter.check(Doc(spam).profile, options), RejectReason::TopNgram2);

        std::string phrase = " the quick brown fox jumps over the lazy dog near here";
        std::string copies = strata::cleaning::test::prose(rng, 100);
        for (int i = 0; i < 6; ++i)
            copies += phrase;
        QCOMPARE(filter.check(Doc(copies).profile, options), RejectReason::DuplicateNgram5);

        options.enabled = false;
        QCOMPARE(filter.check(Doc(lines).profile, options), RejectReason::Kept);
    }
};

QTEST_APPLESS_MAIN(TestRepetitionFilter)
#include "tst_repetition_filter.moc"
