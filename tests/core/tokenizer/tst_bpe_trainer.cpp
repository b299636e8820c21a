// The incremental trainer against the reference trainer (full recount per merge), and its
// determinism: thread count, document order and batch boundaries change nothing.
#include "core/common/error.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/reference_bpe.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/core/tokenizer/test_text.h"

#include <QtTest>

#include <algorithm>

using namespace strata;
using namespace strata::tokenizer;

namespace {

TokenizerData train(const std::vector<std::string>& corpus, TrainerConfig config,
                    size_t batchSize = 1000000) {
    BpeTrainer trainer(config);
    std::vector<std::string_view> views(corpus.begin(), corpus.end());
    for (size_t begin = 0; begin < views.size(); begin += batchSize) {
        size_t end = std::min(views.size(), begin + batchSize);
        trainer.addDocuments(std::span(views).subspan(begin, end - begin));
    }
    return trainer.train();
}

void compareData(const TokenizerData& a, const TokenizerData& b) {
    QCOMPARE(a.tokens, b.tokens);
    QCOMPARE(a.merges, b.merges);
    QCOMPARE(a.addedTokens.size(), b.addedTokens.size());
    for (size_t i = 0; i < a.addedTokens.size(); ++i) {
        QCOMPARE(a.addedTokens[i].id, b.addedTokens[i].id);
        QCOMPARE(a.addedTokens[i].content, b.addedTokens[i].content);
    }
}

// A corpus with many ties: short random words over a small alphabet.
std::vector<std::string> tieHeavyCorpus() {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> letter(0, 5);
    std::uniform_int_distribution<int> length(1, 7);
    std::vector<std::string> corpus;
    for (int d = 0; d < 200; ++d) {
        std::string doc;
        for (int w = 0; w < 30; ++w) {
            doc += ' ';
            for (int i = length(rng); i > 0; --i)
                doc.push_back(char('a' + letter(rng)));
        }
        corpus.push_back(doc);
    }
    return corpus;
}

}  // namespace

class TestBpeTrainer : public QObject {
    Q_OBJECT
private slots:
    void matchesReference_data() {
        QTest::addColumn<int>("corpusKind");
        QTest::addColumn<int>("vocabSize");
        QTest::addColumn<int>("minFrequency");
        QTest::newRow("fixture") << 0 << 600 << 2;
        QTest::newRow("fixture, every pair") << 0 << 700 << 1;
        QTest::newRow("ties") << 1 << 600 << 2;
    }
    void matchesReference() {
        QFETCH(int, corpusKind);
        QFETCH(int, vocabSize);
        QFETCH(int, minFrequency);
        std::vector<std::string> corpus =
            corpusKind == 0 ? test::fixtureCorpus() : tieHeavyCorpus();
        TrainerConfig config;
        config.vocabSize = size_t(vocabSize);
        config.minFrequency = uint64_t(minFrequency);
        TokenizerData fast = train(corpus, config);
        std::vector<std::string_view> views(corpus.begin(), corpus.end());
        TokenizerData reference = trainBpeReference(views, config);
        QVERIFY(fast.merges.size() > 100);
        compareData(fast, reference);
        Tokenizer check(fast);  // the result is a valid tokenizer
    }

    void deterministicAcrossThreadsAndBatches() {
        // One document over 1 MiB, so that it is cut into blocks.
        std::vector<std::string> corpus = test::fixtureCorpus();
        std::mt19937 rng(11);
        std::string big;
        while (big.size() < (3u << 19)) {
            big += test::randomText(rng, 40);
            big += "\nNext line of English words follows here.\n";
        }
        corpus.push_back(big);
        TrainerConfig config;
        config.vocabSize = 1500;
        config.numThreads = 1;
        TokenizerData one = train(corpus, config);
        config.numThreads = 4;
        TokenizerData four = train(corpus, config);
        compareData(one, four);
        TokenizerData batched = train(corpus, config, 7);
        compareData(one, batched);
        std::reverse(corpus.begin(), corpus.end());
        compareData(one, train(corpus, config));
    }

    void layout() {
        TrainerConfig config;
        config.vocabSize = 400;
        TokenizerData data = train(test::fixtureCorpus(), config);
        QCOMPARE(data.tokens.size(), size_t(400));
        for (size_t id = 0; id < 256; ++id)
            QCOMPARE(data.tokens[id], std::string(1, char(byteLevelOrder()[id])));
        QCOMPARE(data.tokens[0], std::string("!"));
        const auto specials = defaultSpecialTokens();
        QCOMPARE(data.addedTokens.size(), specials.size());
        for (size_t i = 0; i < specials.size(); ++i) {
            QCOMPARE(data.addedTokens[i].content, specials[i]);
            QCOMPARE(size_t(data.addedTokens[i].id), 400 - specials.size() + i);
        }
    }

    void stopsAtMinFrequency() {
        TrainerConfig config;
        config.vocabSize = 100000;
        config.minFrequency = 1000000;
        TokenizerData data = train(test::fixtureCorpus(), config);
        QCOMPARE(data.merges.size(), size_t(0));
        QCOMPARE(data.tokens.size(), 256 + defaultSpecialTokens().size());
    }

    void specialTokensAreNotLearned() {
        TrainerConfig config;
        config.vocabSize = 300;
        config.minFrequency = 1;
        std::vector<std::string> corpus(50, "<|eos|><|eos|><|eos|>ab");
        TokenizerData data = train(corpus, config);
        for (const std::string& token : data.tokens)
            QVERIFY(token.find("<|") == std::string::npos || token == "<|eos|>" ||
                    token.size() > 6);
        QCOMPARE(data.tokens[256], std::string("ab"));
    }

    void rejectsBadConfig() {
        TrainerConfig config;
        config.vocabSize = 100;
        QVERIFY_THROWS_EXCEPTION(common::Error, BpeTrainer{config});
        config.vocabSize = 1000;
        config.specialTokens = {"<a>", "<a>"};
        QVERIFY_THROWS_EXCEPTION(common::Error, BpeTrainer{config});
        config.specialTokens = {""};
        QVERIFY_THROWS_EXCEPTION(common::Error, BpeTrainer{config});
        config.specialTokens = {};
        config.splitPatterns = {"(unclosed"};
        QVERIFY_THROWS_EXCEPTION(common::Error, BpeTrainer{config});
    }
};

QTEST_APPLESS_MAIN(TestBpeTrainer)
#include "tst_bpe_trainer.moc"
