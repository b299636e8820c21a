// Token shards: round trip in both dtypes, and every kind of damage caught with the file named.
#include "core/common/error.h"
#include "core/data/token_shard.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata::data;
namespace fs = std::filesystem;

namespace {

std::string openError(const fs::path& path) {
    try {
        TokenShard::open(path);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

fs::path writeShard(const fs::path& path, uint32_t vocabSize,
                    const std::vector<std::vector<uint32_t>>& docs) {
    TokenShardWriter writer(path, vocabSize);
    for (const auto& doc : docs)
        writer.addDocument(doc);
    writer.finish();
    return path;
}

}  // namespace

class TestTokenShard : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data() {
        QTest::addColumn<uint32_t>("vocabSize");
        QTest::addColumn<uint32_t>("dtypeBytes");
        QTest::newRow("uint16") << 65536u << 2u;
        QTest::newRow("uint32") << 100000u << 4u;
    }
    void roundTrip() {
        QFETCH(uint32_t, vocabSize);
        QFETCH(uint32_t, dtypeBytes);
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "s.bin";
        writeShard(path, vocabSize, {{1, 2, 3, 0}, {vocabSize - 1, 0}});
        TokenShard shard = TokenShard::open(path);
        QCOMPARE(shard.header().dtypeBytes, dtypeBytes);
        QCOMPARE(shard.header().numTokens, uint64_t(6));
        QCOMPARE(shard.header().numDocuments, uint64_t(2));
        QCOMPARE(shard.header().vocabSize, vocabSize);
        std::vector<int64_t> tokens(6);
        shard.read(0, tokens);
        QCOMPARE(tokens, (std::vector<int64_t>{1, 2, 3, 0, vocabSize - 1, 0}));
        QCOMPARE(fs::file_size(path), kShardHeaderBytes + 6 * dtypeBytes);
    }

    void wrongChecksumIsReported() {
        QTemporaryDir dir;
        fs::path path = writeShard(fs::path(dir.path().toStdString()) / "s.bin", 1000, {{1, 2, 3}});
        {
            std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
            file.seekp(kShardHeaderBytes);
            file.put(char(9));
        }
        QCOMPARE(openError(path), path.string() + ": checksum mismatch: the token data is corrupt");
        QCOMPARE(TokenShard::open(path, false).token(0), 9u);
    }

    void truncatedShardIsReported() {
        QTemporaryDir dir;
        fs::path path = writeShard(fs::path(dir.path().toStdString()) / "s.bin", 1000, {{1, 2, 3}});
        fs::resize_file(path, fs::file_size(path) - 1);
        QVERIFY(openError(path).find(path.string() + ": truncated or padded") == 0);
        fs::resize_file(path, 10);
        QCOMPARE(openError(path), path.string() + ": not a Strata token shard (bad magic)");
    }

    void foreignFileIsNotAShard() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "x.bin";
        std::ofstream(path) << std::string(100, 'x');
        QCOMPARE(openError(path), path.string() + ": not a Strata token shard (bad magic)");
    }

    void newerVersionSaysWhatToDo() {
        QTemporaryDir dir;
        fs::path path = writeShard(fs::path(dir.path().toStdString()) / "s.bin", 1000, {{1}});
        {
            std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
            file.seekp(8);
            file.put(char(2));
        }
        QVERIFY(openError(path).find("shard format version 2") != std::string::npos);
    }

    void unfinishedWriterLeavesNoFile() {
        QTemporaryDir dir;
        fs::path path = fs::path(dir.path().toStdString()) / "s.bin";
        {
            TokenShardWriter writer(path, 1000);
            writer.addDocument(std::vector<uint32_t>{1, 2});
        }
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }
};

QTEST_APPLESS_MAIN(TestTokenShard)
#include "tst_token_shard.moc"
