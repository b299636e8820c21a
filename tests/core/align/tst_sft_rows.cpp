// SFT rows: packed conversations fill rows whole, each its own segment, the targets are the next
// tokens of the same conversation, and only trained (assistant) targets weigh; unpacked rows
// hold one conversation each; the row order is seeded per epoch or kept for a curriculum.
#include "core/align/sft_rows.h"

#include <torch/torch.h>
#include <QtTest>

using namespace strata::align;

namespace {

// ids 1..n with the last `trained` tokens trained.
strata::tokenizer::ChatTokens conversation(int first, int length, int trained) {
    strata::tokenizer::ChatTokens tokens;
    for (int i = 0; i < length; ++i) {
        tokens.ids.push_back(uint32_t(first + i));
        tokens.trained.push_back(i >= length - trained ? 1 : 0);
    }
    return tokens;
}

std::vector<float> floats(const torch::Tensor& tensor) {
    torch::Tensor flat = tensor.contiguous().reshape({-1});
    return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

std::vector<int64_t> longs(const torch::Tensor& tensor) {
    torch::Tensor flat = tensor.contiguous().reshape({-1});
    return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

}  // namespace

class TestSftRows : public QObject {
    Q_OBJECT

private slots:
    void packedRowsKeepConversationsApart() {
        // 4 and 3 tokens fill 3 + 2 positions of an 6-wide row; 5 tokens need a row of their own.
        SftRows rows({conversation(10, 4, 2), conversation(20, 3, 1), conversation(30, 5, 2)}, 6,
                     true, false, 0);
        QCOMPARE(rows.size(), size_t(2));
        SftBatch batch = rows.batch(0, 2, torch::kCPU);
        QCOMPARE(longs(batch.inputs_BT[0]), (std::vector<int64_t>{10, 11, 12, 20, 21, 0}));
        QCOMPARE(longs(batch.targets_BT[0]), (std::vector<int64_t>{11, 12, 13, 21, 22, 0}));
        // Targets 12 and 13 (trained), 21 not, 22 trained; padding weighs nothing.
        QCOMPARE(floats(batch.weights_BT[0]), (std::vector<float>{0, 1, 1, 0, 1, 0}));
        QVERIFY(batch.layout);
        QCOMPARE(longs(batch.layout->segments_BT[0]), (std::vector<int64_t>{0, 0, 0, 1, 1, -1}));
        QCOMPARE(longs(batch.layout->positions_BT[0]), (std::vector<int64_t>{0, 1, 2, 0, 1, 0}));
        QCOMPARE(floats(batch.weights_BT[1]), (std::vector<float>{0, 0, 1, 1, 0, 0}));
    }

    void unpackedRowsHoldOneConversationAndLongOnesAreCut() {
        SftRows rows({conversation(10, 4, 2), conversation(20, 9, 3)}, 5, false, false, 0);
        QCOMPARE(rows.size(), size_t(2));
        SftBatch batch = rows.batch(0, 2, torch::kCPU);
        QVERIFY(!batch.layout);
        QCOMPARE(longs(batch.inputs_BT[0]), (std::vector<int64_t>{10, 11, 12, 0, 0}));
        // 9 tokens are cut to 6 (five positions): the trained tail, tokens 26 to 28, is cut away.
        QCOMPARE(longs(batch.targets_BT[1]), (std::vector<int64_t>{21, 22, 23, 24, 25}));
        QCOMPARE(floats(batch.weights_BT[1]), (std::vector<float>{0, 0, 0, 0, 0}));
    }

    void rowOrderIsSeededPerEpochOrKept() {
        std::vector<strata::tokenizer::ChatTokens> conversations;
        for (int i = 0; i < 8; ++i)
            conversations.push_back(conversation(10 * (i + 1), 3, 1));
        SftRows kept(conversations, 2, false, false, 0);
        QCOMPARE(longs(kept.batch(8, 8, torch::kCPU).inputs_BT.select(1, 0)),
                 longs(kept.batch(0, 8, torch::kCPU).inputs_BT.select(1, 0)));
        SftRows shuffled(conversations, 2, false, true, 5);
        std::vector<int64_t> first =
            longs(shuffled.batch(0, 8, torch::kCPU).inputs_BT.select(1, 0));
        std::vector<int64_t> second =
            longs(shuffled.batch(8, 8, torch::kCPU).inputs_BT.select(1, 0));
        QVERIFY(first != second);
        std::sort(first.begin(), first.end());
        std::sort(second.begin(), second.end());
        QCOMPARE(first, second);  // each epoch sees every row once
        QCOMPARE(
            longs(SftRows(conversations, 2, false, true, 5).batch(0, 8, torch::kCPU).inputs_BT),
            longs(shuffled.batch(0, 8, torch::kCPU).inputs_BT));
    }
};

QTEST_APPLESS_MAIN(TestSftRows)
#include "tst_sft_rows.moc"
