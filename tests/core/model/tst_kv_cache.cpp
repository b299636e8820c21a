// The KV cache's growing tensors: positions are written into room allocated once, views of it
// hold exactly what concatenation would, and the room grows when a cache outlives its estimate.
#include "core/model/kv_cache.h"

#include <torch/torch.h>

#include <QtTest>

using strata::model::CacheBuffer;

class TestKvCache : public QObject {
    Q_OBJECT

private slots:
    void appendsIntoOneAllocation() {
        torch::manual_seed(1);
        CacheBuffer buffer(/*dim=*/2, /*capacity=*/8);
        std::vector<torch::Tensor> pieces = {torch::randn({2, 3, 5, 4}), torch::randn({2, 3, 1, 4}),
                                             torch::randn({2, 3, 2, 4})};
        torch::Tensor first = buffer.append(pieces[0]);
        const void* room = first.data_ptr();
        torch::Tensor all;
        for (size_t i = 1; i < pieces.size(); ++i)
            all = buffer.append(pieces[i]);
        QCOMPARE(all.data_ptr(), room);
        QCOMPARE(buffer.length(), int64_t(8));
        QVERIFY(torch::equal(all, torch::cat(pieces, 2)));
        QVERIFY(torch::equal(buffer.cached(), all));
    }

    void growsPastItsCapacity() {
        torch::manual_seed(2);
        CacheBuffer buffer(/*dim=*/1, /*capacity=*/2);
        QVERIFY(!buffer.cached().defined());
        std::vector<torch::Tensor> pieces;
        for (int64_t length : {3, 1, 1, 4, 1}) {
            pieces.push_back(torch::randint(100, {2, length}));
            buffer.append(pieces.back());
        }
        QCOMPARE(buffer.length(), int64_t(10));
        QVERIFY(torch::equal(buffer.cached(), torch::cat(pieces, 1)));
    }
};

QTEST_APPLESS_MAIN(TestKvCache)
#include "tst_kv_cache.moc"
