// Sharding a corpus: the split, the packing of the stream, chunking, determinism across thread
// counts, and the all-or-nothing output folder.
#include "core/common/error.h"
#include "core/data/shard_builder.h"
#include "core/data/token_dataset.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <set>

using namespace strata::data;
namespace fs = std::filesystem;

namespace {

constexpr uint32_t kEos = 0;

// Byte-level stand-in for a tokenizer: token = byte + 1, so the expected stream is easy to build.
void encodeBytes(std::string_view text, std::vector<uint32_t>& out) {
    out.clear();
    for (unsigned char c : text)
        out.push_back(uint32_t(c) + 1);
}

std::string documentText(int index) {
    return "document number " + std::to_string(index) + std::string(size_t(index % 7), '!');
}

fs::path writeCorpus(const fs::path& folder, int numDocuments) {
    fs::path path = folder / "corpus.jsonl";
    std::ofstream out(path);
    for (int i = 0; i < numDocuments; ++i)
        out << "{\"text\": \"" << documentText(i) << "\"}\n";
    return path;
}

TokenizerInfo bytesTokenizer() {
    return {"bytes", "0", 257, kEos};
}

ShardReport shard(const fs::path& corpus, const fs::path& out, const ShardConfig& config,
                  int threads, const TextEncoder& encode = encodeBytes) {
    strata::cleaning::DocumentReader reader({corpus}, strata::cleaning::ReaderOptions{});
    return buildShards(reader, encode, bytesTokenizer(), out, config, threads);
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestShardBuilder : public QObject {
    Q_OBJECT

private slots:
    void splitsAndPacksDocumentsInOrder() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        fs::path corpus = writeCorpus(root, 2000);
        ShardConfig config;
        config.validationFraction = 0.1;
        ShardReport report = shard(corpus, root / "shards", config, 2);
        QCOMPARE(report.train.documents + report.validation.documents, uint64_t(2000));
        QVERIFY(report.validation.documents > 140 && report.validation.documents < 260);

        // Each document, closed by <|eos|>, comes next in exactly one of the two streams.
        auto readAll = [&](const char* split) {
            TokenDataset dataset(root / "shards", split);
            std::vector<int64_t> stream(dataset.numTokens());
            dataset.read(0, stream);
            return stream;
        };
        std::vector<int64_t> trainStream = readAll("train"), validationStream = readAll("val");
        size_t trainAt = 0, validationAt = 0;
        auto takeIfNext = [](const std::vector<int64_t>& stream, size_t& at,
                             const std::vector<int64_t>& doc) {
            if (at + doc.size() > stream.size() ||
                !std::equal(doc.begin(), doc.end(), stream.begin() + at))
                return false;
            at += doc.size();
            return true;
        };
        for (int i = 0; i < 2000; ++i) {
            std::vector<uint32_t> tokens;
            encodeBytes(documentText(i), tokens);
            std::vector<int64_t> doc(tokens.begin(), tokens.end());
            doc.push_back(kEos);
            QVERIFY2(takeIfNext(trainStream, trainAt, doc) ||
                         takeIfNext(validationStream, validationAt, doc),
                     qPrintable(QString("document %1 is out of place").arg(i)));
        }
        QCOMPARE(trainAt, trainStream.size());
        QCOMPARE(validationAt, validationStream.size());
        TokenDataset train(root / "shards", "train");
        QCOMPARE(train.eosId(), kEos);
    }

    void sameOutputForAnyThreadCount() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        fs::path corpus = writeCorpus(root, 3000);
        ShardConfig config;
        config.tokensPerShard = 5000;  // several shards per split
        ShardReport one = shard(corpus, root / "one", config, 1);
        shard(corpus, root / "four", config, 4);
        QVERIFY(one.train.files.size() > 3);
        for (const std::string& name : one.train.files)
            QCOMPARE(readFile(root / "four" / name), readFile(root / "one" / name));
        QCOMPARE(readFile(root / "four" / "manifest.json"),
                 readFile(root / "one" / "manifest.json"));
    }

    void chunkStartsFollowTheSeedDefaults() {
        ChunkConfig config;
        config.enabled = true;
        QCOMPARE(chunkStarts(1000, config), (std::vector<uint32_t>{0, 462}));
        QCOMPARE(chunkStarts(1200, config), (std::vector<uint32_t>{0, 462, 924}));
        QCOMPARE(chunkStarts(300, config), std::vector<uint32_t>{0});
        QCOMPARE(chunkStarts(100, config), std::vector<uint32_t>{});
    }

    void chunkingCutsLongDocuments() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        fs::path corpus = root / "long.jsonl";
        std::ofstream(corpus) << "{\"text\": \"" << std::string(1000, 'a')
                              << "\"}\n{\"text\": \"short\"}\n";
        ShardConfig config;
        config.validationFraction = 0;
        config.chunking.enabled = true;
        ShardReport report = shard(corpus, root / "shards", config, 1);
        QCOMPARE(report.train.documents, uint64_t(2));  // two chunks of the long one
        QCOMPARE(report.droppedChunks, uint64_t(1));    // the short document
        QCOMPARE(report.train.tokens, uint64_t(2 * 513));
    }

    void packedSequencesCoverTheStreamOnce() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        ShardConfig config;
        config.validationFraction = 0;
        shard(writeCorpus(root, 500), root / "shards", config, 2);
        TokenDataset dataset(root / "shards", "train");
        PackedSequences sequences(dataset, 64, 42);
        QCOMPARE(sequences.size(), (dataset.numTokens() - 1) / 64);
        std::set<std::vector<int64_t>> seen;
        std::vector<int64_t> window(65), expected(65);
        std::set<uint64_t> starts;
        for (uint64_t i = 0; i < sequences.size(); ++i) {
            sequences.sequence(0, i, window);
            seen.insert(window);
        }
        for (uint64_t start = 0;
             start + 65 <= dataset.numTokens() && starts.size() < sequences.size(); start += 64) {
            dataset.read(start, expected);
            QVERIFY(seen.count(expected));
            starts.insert(start);
        }
        std::vector<int64_t> epochZero(65), epochOne(65);
        sequences.sequence(0, 0, epochZero);
        sequences.sequence(1, 0, epochOne);
        QVERIFY(epochZero != epochOne);  // a new epoch is a new order
    }

    void failureKeepsThePreviousOutput() {
        QTemporaryDir dir;
        fs::path root = dir.path().toStdString();
        fs::path corpus = writeCorpus(root, 600);
        ShardConfig config;
        shard(corpus, root / "shards", config, 2);
        std::string manifest = readFile(root / "shards" / "manifest.json");
        std::atomic<int> calls{0};
        auto failing = [&](std::string_view text, std::vector<uint32_t>& out) {
            if (++calls == 300) strata::common::fail("encoder gave up");
            encodeBytes(text, out);
        };
        QVERIFY_THROWS_EXCEPTION(strata::common::Error,
                                 shard(corpus, root / "shards", config, 2, failing));
        QCOMPARE(readFile(root / "shards" / "manifest.json"), manifest);
        for (const auto& entry : fs::directory_iterator(root))
            QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos,
                     entry.path().c_str());
    }

    void unwritableOutputIsNamed() {
        QTemporaryDir dir;
        fs::path corpus = writeCorpus(dir.path().toStdString(), 10);
        try {
            shard(corpus, "/proc/strata-shards", ShardConfig{}, 1);
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QVERIFY2(std::string(error.what()).find("/proc/strata-shards") != std::string::npos,
                     error.what());
        }
    }

    void configIsValidated() {
        auto config = strata::common::ConfigReader::fromString(
            "[shard.chunking]\nlength = 100\noverlap = 100\n", "s.toml");
        ShardConfig shardConfig;
        try {
            shardConfig.read(config);
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("s.toml:3: key 'shard.chunking.overlap' must be smaller than "
                                 "shard.chunking.length"));
        }
    }
};

QTEST_APPLESS_MAIN(TestShardBuilder)
#include "tst_shard_builder.moc"
