#include "core/data/shard_builder.h"

#include "core/cleaning/html_to_text.h"
#include "core/common/atomic_file.h"
#include "core/common/atomic_folder.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/progress.h"
#include "core/data/token_shard.h"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <xxhash.h>

#include <memory>
#include <optional>

namespace strata::data {

namespace fs = std::filesystem;
using common::fail;

void ShardConfig::read(common::ConfigReader& config) {
    config.read("shard.validation_fraction", validationFraction);
    int64_t seedValue = int64_t(seed), tokensValue = int64_t(tokensPerShard);
    config.read("shard.seed", seedValue);
    config.read("shard.tokens_per_shard", tokensValue);
    config.read("shard.chunking.enabled", chunking.enabled);
    config.read("shard.chunking.length", chunking.length);
    config.read("shard.chunking.overlap", chunking.overlap);
    config.read("shard.chunking.min_length", chunking.minLength);
    if (!(validationFraction >= 0 && validationFraction < 1))
        fail("{} must be in [0, 1)", config.where("shard.validation_fraction"));
    if (seedValue < 0) fail("{} must not be negative", config.where("shard.seed"));
    if (tokensValue <= 0) fail("{} must be positive", config.where("shard.tokens_per_shard"));
    if (chunking.length == 0) fail("{} must be positive", config.where("shard.chunking.length"));
    if (chunking.overlap >= chunking.length)
        fail("{} must be smaller than shard.chunking.length",
             config.where("shard.chunking.overlap"));
    if (chunking.minLength > chunking.length)
        fail("{} must not exceed shard.chunking.length", config.where("shard.chunking.min_length"));
    seed = uint64_t(seedValue);
    tokensPerShard = uint64_t(tokensValue);
}

std::vector<uint32_t> chunkStarts(uint32_t numTokens, const ChunkConfig& config) {
    std::vector<uint32_t> starts;
    uint32_t stride = config.length - config.overlap;
    for (uint32_t start = 0;; start += stride) {
        uint32_t length = std::min(config.length, numTokens - start);
        if (length < config.minLength) break;
        starts.push_back(start);
        if (start + length >= numTokens) break;
    }
    return starts;
}

namespace {

// One split's stream of shards: a new file every tokensPerShard tokens.
class SplitWriter {
public:
    SplitWriter(fs::path folder, std::string prefix, uint32_t vocabSize, uint64_t tokensPerShard)
        : m_folder(std::move(folder)),
          m_prefix(std::move(prefix)),
          m_vocabSize(vocabSize),
          m_tokensPerShard(tokensPerShard) {}

    void add(std::span<const uint32_t> tokens, SplitStats& stats) {
        if (!m_shard) {
            std::string name = fmt::format("{}-{:05}.bin", m_prefix, stats.files.size());
            stats.files.push_back(name);
            m_shard = std::make_unique<TokenShardWriter>(m_folder / name, m_vocabSize);
        }
        m_shard->addDocument(tokens);
        stats.documents += 1;
        stats.tokens += tokens.size();
        if (m_shard->numTokens() >= m_tokensPerShard) finish();
    }

    void finish() {
        if (m_shard) m_shard->finish();
        m_shard.reset();
    }

private:
    fs::path m_folder;
    std::string m_prefix;
    uint32_t m_vocabSize;
    uint64_t m_tokensPerShard;
    std::unique_ptr<TokenShardWriter> m_shard;
};

struct Batch {
    uint64_t firstIndex = 0;
    std::vector<std::string> texts;
    std::vector<bool> isHtml;
    std::vector<std::vector<uint32_t>> tokens;
    uint64_t fileBytesRead = 0;  // the reader's position after this batch, for progress
};

bool isValidation(uint64_t documentIndex, const ShardConfig& config) {
    uint64_t key[2] = {config.seed, documentIndex};
    uint64_t hash = XXH3_64bits(key, sizeof key);
    return double(hash >> 11) * 0x1.0p-53 < config.validationFraction;
}

void writeManifest(const fs::path& path, const ShardReport& report, const TokenizerInfo& tokenizer,
                   const ShardConfig& config) {
    common::JsonWriter json;
    json.beginObject();
    json.key("format").value("strata-token-shards").key("version").value(int64_t(kShardVersion));
    json.key("tokenizer")
        .beginObject()
        .key("path")
        .value(tokenizer.path)
        .key("fingerprint")
        .value(tokenizer.fingerprint)
        .key("vocab_size")
        .value(uint64_t(tokenizer.vocabSize))
        .key("eos_id")
        .value(uint64_t(tokenizer.eosId))
        .endObject();
    json.key("seed").value(config.seed).key("validation_fraction").value(config.validationFraction);
    json.key("chunking")
        .beginObject()
        .key("enabled")
        .value(config.chunking.enabled)
        .key("length")
        .value(uint64_t(config.chunking.length))
        .key("overlap")
        .value(uint64_t(config.chunking.overlap))
        .key("min_length")
        .value(uint64_t(config.chunking.minLength))
        .endObject();
    json.key("report").rawValue(shardReportJson(report));
    json.endObject();
    common::AtomicFile file(path);
    file.write(json.str());
    file.write("\n");
    file.commit();
}

}  // namespace

ShardReport buildShards(cleaning::DocumentReader& reader, const TextEncoder& encode,
                        const TokenizerInfo& tokenizer, const fs::path& outDir,
                        const ShardConfig& config, int numThreads) {
    common::AtomicFolder output(outDir);
    const fs::path& staging = output.staging();

    ShardReport report;
    SplitWriter train(staging, "train", tokenizer.vocabSize, config.tokensPerShard);
    SplitWriter validation(staging, "val", tokenizer.vocabSize, config.tokensPerShard);
    common::Progress progress("shard", reader.totalInputBytes(), "bytes");
    uint64_t nextIndex = 0;
    uint64_t reported = 0;
    bool done = false;
    constexpr size_t kBatchDocuments = 256;

    tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                size_t(std::max(1, numThreads)));
    tbb::parallel_pipeline(
        size_t(std::max(1, numThreads)) * 4,
        tbb::make_filter<void, std::shared_ptr<Batch>>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& control) -> std::shared_ptr<Batch> {
                auto batch = std::make_shared<Batch>();
                batch->firstIndex = nextIndex;
                cleaning::Document doc;
                while (!done && batch->texts.size() < kBatchDocuments) {
                    if (!reader.next(doc)) {
                        done = true;
                        break;
                    }
                    batch->isHtml.push_back(doc.format == cleaning::DocumentFormat::Html);
                    batch->texts.push_back(std::move(doc.text));
                }
                nextIndex += batch->texts.size();
                batch->fileBytesRead = reader.inputBytesRead();
                if (batch->texts.empty()) control.stop();
                return batch;
            }) &
            tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
                tbb::filter_mode::parallel,
                [&](std::shared_ptr<Batch> batch) {
                    if (!batch) return batch;
                    batch->tokens.resize(batch->texts.size());
                    std::string visibleText;
                    for (size_t i = 0; i < batch->texts.size(); ++i) {
                        if (batch->isHtml[i]) {
                            visibleText.clear();
                            cleaning::htmlToText(batch->texts[i], visibleText);
                            batch->texts[i].swap(visibleText);
                        }
                        encode(batch->texts[i], batch->tokens[i]);
                        std::string().swap(batch->texts[i]);
                    }
                    return batch;
                }) &
            tbb::make_filter<std::shared_ptr<Batch>, void>(
                tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> batch) {
                    if (!batch) return;
                    std::vector<uint32_t> piece;
                    for (size_t i = 0; i < batch->tokens.size(); ++i) {
                        std::vector<uint32_t>& tokens = batch->tokens[i];
                        bool held = isValidation(batch->firstIndex + i, config);
                        SplitWriter& writer = held ? validation : train;
                        SplitStats& stats = held ? report.validation : report.train;
                        if (tokens.empty()) {
                            report.emptyDocuments += 1;
                            continue;
                        }
                        if (!config.chunking.enabled) {
                            tokens.push_back(tokenizer.eosId);
                            writer.add(tokens, stats);
                            continue;
                        }
                        std::vector<uint32_t> starts =
                            chunkStarts(uint32_t(tokens.size()), config.chunking);
                        if (starts.empty()) report.droppedChunks += 1;
                        for (uint32_t start : starts) {
                            size_t length =
                                std::min<size_t>(config.chunking.length, tokens.size() - start);
                            piece.assign(tokens.begin() + start, tokens.begin() + start + length);
                            piece.push_back(tokenizer.eosId);
                            writer.add(piece, stats);
                        }
                    }
                    progress.advance(batch->fileBytesRead - reported);
                    reported = batch->fileBytesRead;
                }));
    report.reader = reader.stats();
    if (report.train.documents + report.validation.documents == 0)
        fail("no documents to shard: every input was empty or skipped");
    train.finish();
    validation.finish();
    progress.finish();
    writeManifest(staging / "manifest.json", report, tokenizer, config);
    output.commit();
    return report;
}

std::string shardReportJson(const ShardReport& report) {
    common::JsonWriter json;
    auto split = [&](std::string_view name, const SplitStats& stats) {
        json.key(name)
            .beginObject()
            .key("documents")
            .value(stats.documents)
            .key("tokens")
            .value(stats.tokens);
        json.key("files").beginArray();
        for (const std::string& file : stats.files)
            json.value(file);
        json.endArray().endObject();
    };
    json.beginObject();
    split("train", report.train);
    split("validation", report.validation);
    json.key("dropped_chunks").value(report.droppedChunks);
    json.key("empty_documents").value(report.emptyDocuments);
    json.key("input_documents").value(report.reader.documents);
    json.key("input_bytes").value(report.reader.bytes);
    json.endObject();
    return json.take();
}

}  // namespace strata::data
