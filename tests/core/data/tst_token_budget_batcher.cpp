// Token-budget batching: every sequence once, budget kept, deterministic, little padding.
#include "core/common/error.h"
#include "core/data/token_budget_batcher.h"

#include <QtTest>

#include <random>

using namespace strata::data;

namespace {

std::vector<uint32_t> randomLengths(size_t count, uint64_t seed) {
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<uint32_t> length(1, 2048);
    std::vector<uint32_t> lengths(count);
    for (uint32_t& value : lengths)
        value = length(random);
    return lengths;
}

}  // namespace

class TestTokenBudgetBatcher : public QObject {
    Q_OBJECT

private slots:
    void coversEverySequenceOnceWithinBudget() {
        std::vector<uint32_t> lengths = randomLengths(5000, 7);
        TokenBudgetConfig config;
        TokenBudgetBatches result = makeTokenBudgetBatches(lengths, config);
        std::vector<int> seen(lengths.size(), 0);
        for (const auto& batch : result.batches) {
            uint32_t longest = 0;
            for (uint32_t index : batch) {
                seen[index] += 1;
                longest = std::max(longest, lengths[index]);
            }
            QVERIFY(uint64_t(batch.size()) * longest <= config.maxTokens);
        }
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
        // Sorting within pools keeps padding low; random grouping would waste about half.
        QVERIFY2(
            double(result.realTokens) / double(result.paddedTokens) > 0.9,
            qPrintable(QString::number(double(result.realTokens) / double(result.paddedTokens))));
    }

    void sameSeedSameBatches() {
        std::vector<uint32_t> lengths = randomLengths(1000, 3);
        TokenBudgetConfig config;
        auto first = makeTokenBudgetBatches(lengths, config).batches;
        QCOMPARE(makeTokenBudgetBatches(lengths, config).batches, first);
        config.seed = 99;
        QVERIFY(makeTokenBudgetBatches(lengths, config).batches != first);
    }

    void oversizedSequenceIsNamed() {
        std::vector<uint32_t> lengths = {10, 9000};
        try {
            makeTokenBudgetBatches(lengths, TokenBudgetConfig{});
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("sequence 1 has 9000 tokens, more than the batch budget of 8192"));
        }
    }
};

QTEST_APPLESS_MAIN(TestTokenBudgetBatcher)
#include "tst_token_budget_batcher.moc"
