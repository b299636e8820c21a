// The hand-written cl100k and GPT-2 matchers against PCRE2 running the same patterns, on
// hand-picked cases and thousands of seeded random and adversarial strings.
#include "core/tokenizer/patterns.h"
#include "core/tokenizer/pre_tokenizer.h"
#include "tests/core/tokenizer/test_text.h"

#include <QtTest>

using namespace strata::tokenizer;

namespace {

std::string escaped(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out.push_back(char(c));
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof(buffer), "\\x%02X", c);
            out += buffer;
        }
    }
    return out;
}

std::string describe(std::string_view text, const std::vector<PieceSpan>& spans) {
    std::string out;
    for (const PieceSpan& span : spans)
        out += "[" + escaped(text.substr(span.begin, span.end - span.begin)) + "]";
    return out;
}

// Fails with both splits printed when the fast path and PCRE2 disagree on `text`.
bool sameSplit(const PreTokenizer& fast, const PreTokenizer& regex, const std::string& text) {
    auto fastSpans = fast.spans(text);
    auto regexSpans = regex.spans(text);
    if (fastSpans == regexSpans) return true;
    qWarning("text:  %s\nfast:  %s\npcre2: %s", escaped(text).c_str(),
             describe(text, fastSpans).c_str(), describe(text, regexSpans).c_str());
    return false;
}

std::vector<std::string> adversarialCases() {
    return {"",
            "a",
            " ",
            "\n",
            "Hello world",
            "  leading and trailing  ",
            "it's they'll we've I'M 'S 'sup 'ſ ''s '",
            "a\n\n  b\r\n\r\n   c\t\t\nd",
            "   \n   \n   ",
            " \t \u00A0x",
            "\u3000日本\u3000",
            "123456789 12 1 ½½½½ ٣٤٥٦",
            "!!!???...\n\n,,, ---\r\n",
            " !!! ?? ...x",
            "e\xCC\x81\xCC\x81 \xCC\x81x \xCC\x81",
            "👨‍👩‍👧‍👦 👍🏽x",
            "\x01\x02 \x7F abc\x1F",
            "x  \u2028 \u0085 y",
            "\v\f \v x",
            "tab\tx\t\ty",
            "a' 'b ''",
            std::string(300, ' ') + "x" + std::string(300, '\n'),
            std::string(200, '-') + "\n\n"};
}

}  // namespace

class TestPreTokenizer : public QObject {
    Q_OBJECT
private slots:
    void handPicked() {
        PreTokenizer fast({std::string(kCl100kPattern)});
        auto pieces = [&](std::string_view text) {
            std::vector<std::string> out;
            fast.split(text, [&](std::string_view piece) { out.emplace_back(piece); });
            return out;
        };
        QCOMPARE(pieces("Hello world's  end\n\n"),
                 (std::vector<std::string>{"Hello", " world", "'s", " ", " end", "\n\n"}));
        QCOMPARE(pieces("1234567"), (std::vector<std::string>{"123", "456", "7"}));
        QCOMPARE(pieces("x  \ny"), (std::vector<std::string>{"x", "  \n", "y"}));
    }

    void fastMatchesPcre2_data() {
        QTest::addColumn<QString>("pattern");
        QTest::newRow("cl100k") << QString::fromUtf8(kCl100kPattern.data(), kCl100kPattern.size());
        QTest::newRow("gpt2") << QString::fromUtf8(kGpt2Pattern.data(), kGpt2Pattern.size());
    }
    void fastMatchesPcre2() {
        QFETCH(QString, pattern);
        std::vector<std::string> patterns{pattern.toStdString()};
        PreTokenizer fast(patterns, true);
        PreTokenizer regex(patterns, false);
        for (const std::string& text : adversarialCases())
            QVERIFY(sameSplit(fast, regex, text));
        std::mt19937 rng(12345);
        std::uniform_int_distribution<size_t> runs(1, 80);
        for (int i = 0; i < 5000; ++i) {
            std::string text = test::randomText(rng, runs(rng));
            QVERIFY(sameSplit(fast, regex, text));
        }
    }

    void piecesTileTheText() {
        PreTokenizer fast({std::string(kCl100kPattern)});
        std::mt19937 rng(7);
        for (int i = 0; i < 200; ++i) {
            std::string text = test::randomText(rng, 50);
            std::string joined;
            fast.split(text, [&](std::string_view piece) {
                QVERIFY(!piece.empty());
                joined += piece;
            });
            QCOMPARE(joined, text);
        }
    }

    void regexSequence() {
        // Two Splits in a row: digits one by one, then cl100k on the rest.
        PreTokenizer pre({R"(\p{N})", std::string(kCl100kPattern)});
        std::vector<std::string> out;
        pre.split("ab 123x", [&](std::string_view piece) { out.emplace_back(piece); });
        QCOMPARE(out, (std::vector<std::string>{"ab", " ", "1", "2", "3", "x"}));
    }
};

QTEST_APPLESS_MAIN(TestPreTokenizer)
#include "tst_pre_tokenizer.moc"
