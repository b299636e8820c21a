// Encoder and decoder: round trips on every kind of valid UTF-8, the invalid UTF-8 rule, the
// special-token policies, and the optimized paths (merge loop, piece cache, batch encode)
// against the reference encoder.
#include "core/common/error.h"
#include "core/common/utf8.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/reference_bpe.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/core/tokenizer/test_text.h"

#include <QtTest>

using namespace strata;
using namespace strata::tokenizer;

namespace {

TokenizerData trainFixture(size_t vocabSize) {
    std::vector<std::string> corpus = test::fixtureCorpus();
    std::vector<std::string_view> views(corpus.begin(), corpus.end());
    TrainerConfig config;
    config.vocabSize = vocabSize;
    BpeTrainer trainer(config);
    trainer.addDocuments(views);
    return trainer.train();
}

std::vector<std::string> validSamples() {
    std::vector<std::string> samples = {
        "",
        "a",
        "Hello, world! It's a test of the tokenizer's round trip.",
        "中文分词测试：我们今天去公园散步。",
        "👨‍👩‍👧‍👦 family, 👍🏽 thumbs, 🇫🇷 flag, ❤️ heart",
        "e\xCC\x81\xCC\x81\xCC\x81 stacked marks and Z\xCD\x91\xCD\x97"
        "a\xCC\xBE",
        std::string("controls \x01\x02\x03\x7F\x1B[0m and NUL") + std::string(1, '\0') + "inside",
        "\r\n\r\n\t\t   \n \u00A0\u2028\u3000",
        std::string(5000, ' ') + "x" + std::string(3000, '\n'),
        std::string(2000, 'a'),
        "<|eos|> looks special but is ordinary text under policy none",
        "\xF4\x8F\xBF\xBF \xEF\xBF\xBF \xEF\xBF\xBD",  // U+10FFFF, U+FFFF, U+FFFD
    };
    std::mt19937 rng(99);
    for (int i = 0; i < 200; ++i)
        samples.push_back(test::randomText(rng, 1 + i));
    samples.push_back(test::randomText(rng, 20000));
    return samples;
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_tokenizer = std::make_unique<Tokenizer>(trainFixture(1200)); }

    void roundTrip() {
        for (const std::string& text : validSamples()) {
            std::vector<TokenId> ids = m_tokenizer->encode(text);
            QCOMPARE(m_tokenizer->decode(ids), text);
            // A second pass goes through the piece cache and must agree.
            QCOMPARE(m_tokenizer->encode(text), ids);
        }
    }

    void compresses() {
        std::string text = "The quick brown fox jumps over the lazy dog.";
        QVERIFY(m_tokenizer->encode(text).size() < text.size() / 2);
    }

    void invalidUtf8IsReplaced() {
        // Ill-formed bytes become U+FFFD before encoding: decode gives the replaced text.
        const std::vector<std::string> cases = {
            "\xFF",
            "abc\xFF"
            "def",
            "\xC3",
            "trunc\xE4\xB8",
            "\xC0\xAF overlong",
            "\xED\xA0\x80 surrogate",
            "\xF5\x80\x80\x80 too high",
            "\x80\x80\x80",
            "mixed \xE4\xB8\xAD\xFF\xE6\x96\x87",
        };
        for (const std::string& text : cases) {
            std::string replaced = common::replaceInvalidUtf8(text);
            QVERIFY(replaced != text);
            QCOMPARE(m_tokenizer->decode(m_tokenizer->encode(text)), replaced);
            QCOMPARE(m_tokenizer->encode(text), m_tokenizer->encode(replaced));
        }
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int i = 0; i < 300; ++i) {
            std::string junk;
            for (int j = 0; j < 64; ++j)
                junk.push_back(char(byte(rng)));
            QCOMPARE(m_tokenizer->decode(m_tokenizer->encode(junk)),
                     common::replaceInvalidUtf8(junk));
        }
    }

    void specialPolicy() {
        const std::string text = "a<|eos|>b<|user|>c<|eos";
        TokenId eos = *m_tokenizer->findAddedToken("<|eos|>");
        TokenId user = *m_tokenizer->findAddedToken("<|user|>");
        auto count = [](const std::vector<TokenId>& ids, TokenId id) {
            return std::count(ids.begin(), ids.end(), id);
        };
        std::vector<TokenId> none = m_tokenizer->encode(text, SpecialPolicy::none());
        QCOMPARE(count(none, eos), 0);
        QCOMPARE(count(none, user), 0);
        std::vector<TokenId> all = m_tokenizer->encode(text, SpecialPolicy::all());
        QCOMPARE(count(all, eos), 1);
        QCOMPARE(count(all, user), 1);
        std::vector<TokenId> only = m_tokenizer->encode(text, SpecialPolicy::only({"<|eos|>"}));
        QCOMPARE(count(only, eos), 1);
        QCOMPARE(count(only, user), 0);
        for (const auto& ids : {none, all, only})
            QCOMPARE(m_tokenizer->decode(ids), text);
        QVERIFY_THROWS_EXCEPTION(common::Error,
                                 m_tokenizer->encode(text, SpecialPolicy::only({"<|nope|>"})));
        // Back to back, at the edges, and the whole text.
        std::vector<TokenId> edges = m_tokenizer->encode("<|eos|><|eos|>", SpecialPolicy::all());
        QCOMPARE(edges, (std::vector<TokenId>{eos, eos}));
    }

    void mergerMatchesReference() {
        const TokenizerData& data = m_tokenizer->data();
        std::mt19937 rng(31);
        std::vector<std::string> pieces;
        for (int i = 0; i < 300; ++i) {
            std::string text = test::randomText(rng, 20);
            m_tokenizer->preTokenizer().split(text,
                                              [&](std::string_view p) { pieces.emplace_back(p); });
        }
        // Long pieces take the heap path.
        pieces.push_back(std::string(300, ' '));
        pieces.push_back(std::string(257, 'a'));
        std::string repeated;
        for (int i = 0; i < 50; ++i)
            repeated += "the quick brown fox ";
        pieces.push_back(repeated);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int i = 0; i < 50; ++i) {
            std::string junk;
            for (int j = 0; j < 10 + i * 3; ++j)
                junk.push_back(char(byte(rng)));
            pieces.push_back(junk);
        }
        ReferenceEncoder reference(data);
        for (const std::string& piece : pieces) {
            if (piece.empty()) continue;
            std::vector<TokenId> fast;
            m_tokenizer->encodePiece(piece, fast);
            QCOMPARE(fast, reference.encodePiece(piece));
        }
    }

    void batchMatchesSingle() {
        std::vector<std::string> samples = validSamples();
        std::vector<std::string_view> views(samples.begin(), samples.end());
        auto batch = m_tokenizer->encodeBatch(views, SpecialPolicy::all());
        QCOMPARE(batch.size(), samples.size());
        for (size_t i = 0; i < samples.size(); ++i)
            QCOMPARE(batch[i], m_tokenizer->encode(samples[i], SpecialPolicy::all()));
    }

    void decodeRejectsBadIds() {
        std::vector<TokenId> ids = {1, 2, 999999};
        try {
            m_tokenizer->decode(ids);
            QFAIL("decode accepted an id out of range");
        } catch (const common::Error& error) {
            QVERIFY(std::string(error.what()).find("999999") != std::string::npos);
        }
    }

    void ignoreMerges() {
        // A vocabulary token that the merges cannot reach: "abc" from ("a","bc") with "bc"
        // never built. Plain BPE spells it a, b, c; ignore_merges takes the whole token.
        TokenizerData data;
        for (int b = 0; b < 256; ++b)
            data.tokens.emplace_back(1, char(b));
        data.tokens.push_back("bc");
        data.tokens.push_back("abc");
        data.merges = {{'a', 256}};
        Tokenizer plain(data);
        QCOMPARE(plain.encode("abc"), (std::vector<TokenId>{'a', 'b', 'c'}));
        data.bpe.ignoreMerges = true;
        Tokenizer whole(data);
        QCOMPARE(whole.encode("abc"), (std::vector<TokenId>{257}));
    }

    void bytesWithoutATokenAreDropped() {
        // As Hugging Face's BPE does without an unk token (SmolLM2 has no token for 0x04): the
        // byte is left out and its neighbours merge across the gap.
        TokenizerData data;
        for (int b = 0; b < 256; ++b)
            if (b != 0x04) data.tokens.emplace_back(1, char(b));
        data.tokens.push_back("ab");  // id 255
        data.merges = {{'a' - 1, 'b' - 1}};
        data.preTokenizers = byteLevelSplits({});  // one piece, so that the gap is inside it
        Tokenizer tokenizer(data);
        QCOMPARE(tokenizer.encode("a\x04" "b"), (std::vector<TokenId>{255}));
        QCOMPARE(tokenizer.encode("\x04"), (std::vector<TokenId>{}));
        data.bpe.unkToken = "a";
        QVERIFY_THROWS_EXCEPTION(common::Error, Tokenizer{data});
    }

private:
    std::unique_ptr<Tokenizer> m_tokenizer;
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
