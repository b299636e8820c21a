// normalizeText: the fast path against the plain multi-pass reference on seeded random text, and
// the documented rules on hand-picked cases.
#include "core/cleaning/text_normalizer.h"
#include "core/common/utf8.h"

#include <QtTest>

#include <random>

using namespace strata::cleaning;

namespace {

std::string fast(std::string_view text, NormalizeOptions options = {}) {
    std::string out, scratch;
    normalizeText(text, options, out, scratch);
    return out;
}

// Random text mixing the characters the rules treat specially.
std::string randomText(std::mt19937& rng) {
    static const char32_t kPieces[] = {'a',
                                       'b',
                                       'Z',
                                       '1',
                                       '.',
                                       ' ',
                                       ' ',
                                       ' ',
                                       '\t',
                                       '\n',
                                       '\n',
                                       '\r',
                                       '\v',
                                       '\f',
                                       0x01,
                                       0x7F,
                                       0x85,
                                       0xA0,
                                       0xAD,
                                       0xE9,
                                       0x301 /* combining acute */,
                                       0x2028,
                                       0x2029,
                                       0x200B,
                                       0x200D,
                                       0xFEFF,
                                       0xFF21 /* full-width A */,
                                       0xFB01 /* fi ligature */,
                                       0x3000,
                                       0x2003,
                                       0x4E2D,
                                       0x1D400 /* math bold A */,
                                       0x2460 /* circled 1 */,
                                       0x0627,
                                       0x0644};
    std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
    std::uniform_int_distribution<int> length(0, 40);
    std::string text;
    for (int i = length(rng); i > 0; --i)
        strata::common::appendUtf8(text, kPieces[pick(rng)]);
    return text;
}

}  // namespace

class TestTextNormalizer : public QObject {
    Q_OBJECT

private slots:
    void fastMatchesReference() {
        std::mt19937 rng(7);
        for (int mode = 0; mode < 8; ++mode) {
            NormalizeOptions options{bool(mode & 1), bool(mode & 2), bool(mode & 4)};
            for (int i = 0; i < 3000; ++i) {
                std::string text = randomText(rng);
                std::string expected = normalizeTextReference(text, options);
                std::string actual = fast(text, options);
                if (actual != expected)
                    QFAIL(qPrintable(
                        QString("mode %1: input %2: got %3, want %4")
                            .arg(mode)
                            .arg(QByteArray::fromStdString(text).toHex().constData())
                            .arg(QByteArray::fromStdString(actual).toHex().constData())
                            .arg(QByteArray::fromStdString(expected).toHex().constData())));
            }
        }
    }

    void nfkcFoldsCompatibilityForms() {
        QCOMPARE(fast("\xEF\xBC\xA1\xEF\xBC\xA2 \xEF\xAC\x81nd"),
                 std::string("AB find"));                            // ＡＢ ﬁnd
        QCOMPARE(fast("cafe\xCC\x81"), std::string("caf\xC3\xA9"));  // e + combining acute composes
        QCOMPARE(fast("\xE2\x91\xA0 x"), std::string("1 x"));        // circled digit one
        std::string ascii = "plain ASCII text, already NFKC.";
        QCOMPARE(fast(ascii), ascii);
    }

    void removesControlAndFormatCharacters() {
        QCOMPARE(fast("a\x01"
                      "b\x7F"
                      "c"),
                 std::string("abc"));
        QCOMPARE(fast("zero\xE2\x80\x8Bwidth soft\xC2\xADhyphen \xEF\xBB\xBF"
                      "bom"),
                 std::string("zerowidth softhyphen bom"));
        QCOMPARE(fast("emoji\xE2\x80\x8Djoin"), std::string("emoji\xE2\x80\x8Djoin"));  // ZWJ stays
    }

    void normalizesWhitespace() {
        QCOMPARE(fast("  a \t b  \r\n\r\n\r\n\n c\rd  \n"), std::string("a b\n\nc\nd"));
        QCOMPARE(fast("x\xC2\xA0\xE3\x80\x80y"), std::string("x y"));  // NBSP and ideographic space
        QCOMPARE(fast("line\xE2\x80\xA8next"), std::string("line\nnext"));
        QCOMPARE(fast(" \n\t\n "), std::string(""));
    }

    void stagesCanBeDisabled() {
        NormalizeOptions off{false, false, false};
        std::string text = " a\x01\xEF\xBC\xA1  \n\n\n";
        QCOMPARE(fast(text, off), text);
        QCOMPARE(fast(text, {true, false, false}), std::string(" a\x01"
                                                               "A  \n\n\n"));
    }
};

QTEST_APPLESS_MAIN(TestTextNormalizer)
#include "tst_text_normalizer.moc"
