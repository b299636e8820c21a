// The profile-based filters: word-count bounds, character entropy, each Gopher quality rule on
// a document made to break it, the script share, and CJK-aware word splitting.
#include "core/cleaning/quality_filters.h"
#include "core/cleaning/text_profile.h"
#include "tests/core/cleaning/clean_test_text.h"

#include <QtTest>

using namespace strata::cleaning;

namespace {

// The profile keeps a view: the text must outlive it, so tests hold both.
struct Doc {
    std::string text;
    TextProfile profile;
    explicit Doc(std::string t) : text(std::move(t)) { profile.build(text); }
};

std::string goodProse(int words = 200) {
    std::mt19937 rng(3);
    return strata::cleaning::test::prose(rng, words);
}

}  // namespace

class TestQualityFilters : public QObject {
    Q_OBJECT

private slots:
    void profileSplitsWordsAndLines() {
        Doc doc(
            "Hello, world!\n\n  two  words\n\xE4\xB8\xAD\xE6\x96\x87"
            "abc \xC3\xA9t\xC3\xA9");
        QCOMPARE(doc.profile.words().size(), size_t(8));  // Hello, world! two words 中 文 abc été
        QCOMPARE(doc.profile.slice(doc.profile.words()[4]), std::string_view("\xE4\xB8\xAD"));
        QCOMPARE(doc.profile.slice(doc.profile.words()[6]), std::string_view("abc"));
        QCOMPARE(doc.profile.numCjkWords(), uint64_t(2));
        QCOMPARE(doc.profile.lines().size(), size_t(4));
        QCOMPARE(doc.profile.lettersOf(Script::Han), uint64_t(2));
        QCOMPARE(doc.profile.lettersOf(Script::Latin), uint64_t(10 + 8 + 3 + 3));
        QCOMPARE(
            doc.profile.numChars(),
            uint64_t(std::string_view("Hello, world!\n\n  two  words\n").size() + 2 + 3 + 1 + 3));
        // Same words hash the same.
        Doc again("x Hello, y");
        QCOMPARE(again.profile.wordHashes()[1], doc.profile.wordHashes()[0]);
    }

    void wordCountBounds() {
        Doc doc(goodProse(60));
        QCOMPARE(checkWordCount(doc.profile, {}), RejectReason::Kept);
        QCOMPARE(checkWordCount(doc.profile, {true, 61, 1000}), RejectReason::TooFewWords);
        QCOMPARE(checkWordCount(doc.profile, {true, 10, 59}), RejectReason::TooManyWords);
        QCOMPARE(checkWordCount(doc.profile, {false, 61, 1000}), RejectReason::Kept);
    }

    void entropyThreshold() {
        Doc prose(goodProse());
        double bits = prose.profile.characterEntropy();
        QVERIFY2(bits > 3.8 && bits < 4.6, qPrintable(QString::number(bits)));
        QCOMPARE(checkEntropy(prose.profile, {}), RejectReason::Kept);
        Doc flat("aaaa aaaa aaaa bbbb");
        // p(a) = 12/19, p(b) = 4/19, p(space) = 3/19.
        double expected = 0;
        for (double p : {12.0 / 19, 4.0 / 19, 3.0 / 19})
            expected -= p * std::log2(p);
        QVERIFY(std::abs(flat.profile.characterEntropy() - expected) < 1e-12);
        QCOMPARE(checkEntropy(flat.profile, {}), RejectReason::LowEntropy);
        Doc han("\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87");  // 中文中文: 1 bit
        QVERIFY(std::abs(han.profile.characterEntropy() - 1.0) < 1e-12);
    }

    void gopherRules() {
        GopherQualityOptions options;
        QCOMPARE(checkGopherQuality(Doc(goodProse()).profile, options), RejectReason::Kept);
        QCOMPARE(checkGopherQuality(Doc("a b c d e f g h i j").profile, options),
                 RejectReason::MeanWordLength);
        QCOMPARE(checkGopherQuality(Doc("extraordinarily incomprehensibilities").profile, options),
                 RejectReason::MeanWordLength);
        QCOMPARE(
            checkGopherQuality(Doc(goodProse(40) + " #tag #tag #tag #tag #tag").profile, options),
            RejectReason::SymbolRatio);
        std::string bullets;
        for (int i = 0; i < 10; ++i)
            bullets += "- item number " + std::to_string(i) + " here\n";
        QCOMPARE(checkGopherQuality(Doc(bullets).profile, options), RejectReason::BulletLines);
        std::string trailing;
        for (int i = 0; i < 4; ++i)
            trailing +=
                "and then the story went on...\nfine line here with several more words in it\n";
        QCOMPARE(checkGopherQuality(Doc(trailing).profile, options), RejectReason::EllipsisLines);
        QCOMPARE(checkGopherQuality(
                     Doc("words 1234 5678 9012 3456 7890 1111 2222 3333 here").profile, options),
                 RejectReason::AlphaWords);
        options.enabled = false;
        QCOMPARE(checkGopherQuality(Doc("a b c").profile, options), RejectReason::Kept);
    }

    void cjkWordsStayOutOfMeanWordLength() {
        // 30 Han characters and a few English words of normal length.
        std::string text;
        for (int i = 0; i < 30; ++i)
            text += "\xE4\xB8\xAD";
        text += " normal english words";
        QCOMPARE(checkGopherQuality(Doc(text).profile, {}), RejectReason::Kept);
    }

    void mostlyCjkTextIsExemptFromMeanWordLength() {
        // Chinese prose with full-width punctuation and a short Latin name: the spaced words are
        // few and short, which would fail the rule if it applied.
        std::string text;
        for (int i = 0; i < 10; ++i) {
            for (int j = 0; j < 4; ++j)
                text += "\xE4\xB8\xAD\xE6\x96\x87";
            text += "\xEF\xBC\x8C";
        }
        text += " ab";
        QCOMPARE(checkGopherQuality(Doc(text).profile, {}), RejectReason::Kept);
        // The same short words without the CJK majority are rejected.
        QCOMPARE(checkGopherQuality(Doc("ab ab ab ab ab ab ab ab ab ab").profile, {}),
                 RejectReason::MeanWordLength);
    }

    void scriptShare() {
        std::array<bool, kNumScripts> latin{};
        latin[size_t(Script::Latin)] = true;
        Doc english(goodProse(50));
        QCOMPARE(checkScript(english.profile, latin, 0.5), RejectReason::Kept);
        Doc russian("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80 ok");
        QCOMPARE(russian.profile.lettersOf(Script::Cyrillic), uint64_t(9));
        QCOMPARE(checkScript(russian.profile, latin, 0.5), RejectReason::Script);
        std::array<bool, kNumScripts> cyrillic{};
        cyrillic[size_t(Script::Cyrillic)] = true;
        QCOMPARE(checkScript(russian.profile, cyrillic, 0.5), RejectReason::Kept);
        QCOMPARE(checkScript(Doc("1234 5678").profile, latin, 0.5), RejectReason::Script);
        QCOMPARE(scriptFromName("han"), std::optional<Script>(Script::Han));
        QCOMPARE(scriptOf(U'\u3042'), Script::Hiragana);
        QCOMPARE(scriptOf(U'\uAC00'), Script::Hangul);
        QCOMPARE(scriptOf(U'\u05D0'), Script::Hebrew);
        QCOMPARE(scriptOf(U'\u0E01'), Script::Thai);
    }
};

QTEST_APPLESS_MAIN(TestQualityFilters)
#include "tst_quality_filters.moc"
