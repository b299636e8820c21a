// Tokenizer benchmark: BPE training time for a given vocabulary size, then encode throughput
// (MiB/s) on one thread and on all threads, over a plain-text corpus cut into documents at blank
// lines. Prints one JSON object; tests/bench/tokenizer/reference.py measures tiktoken and
// Hugging Face on the same corpus and tokenizer and computes the ratios.
//
//   bench_tokenizer --corpus bench-data/corpus.txt --tokenizer OUT.json
//                   [--vocab-size 32000] [--threads N] [--dump-ids FILE] [--dump-docs N]
//
// The trained tokenizer is written to --tokenizer (the reference script reads it); --dump-ids
// writes the ids of the first --dump-docs documents, one line each, for the correctness check.
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Documents separated by blank lines ("\n\n"), separators dropped; reference.py splits alike.
std::vector<std::string_view> splitDocuments(std::string_view corpus) {
    std::vector<std::string_view> documents;
    size_t start = 0;
    while (start <= corpus.size()) {
        size_t end = std::min(corpus.find("\n\n", start), corpus.size());
        if (end > start) documents.push_back(corpus.substr(start, end - start));
        start = end + 2;
    }
    return documents;
}

// Consecutive documents joined (with the blank lines between them) into chunks of >= 1 MiB.
std::vector<std::string_view> joinIntoChunks(std::string_view corpus,
                                             const std::vector<std::string_view>& documents) {
    std::vector<std::string_view> chunks;
    size_t first = 0;
    for (size_t i = 0; i < documents.size(); ++i) {
        const char* begin = documents[first].data();
        const char* end = documents[i].data() + documents[i].size();
        if (size_t(end - begin) >= (1 << 20) || i + 1 == documents.size()) {
            chunks.push_back(corpus.substr(size_t(begin - corpus.data()), size_t(end - begin)));
            first = i + 1;
        }
    }
    return chunks;
}

int run(int argc, char** argv) {
    app::ArgParser parser("bench_tokenizer", "--corpus FILE --tokenizer FILE [options]",
                          "Times BPE training and encoding; prints JSON.");
    parser.option("corpus", 0, "FILE", "UTF-8 text, documents separated by blank lines")
        .option("tokenizer", 0, "FILE", "where to write the trained tokenizer.json")
        .option("vocab-size", 0, "N", "vocabulary to train (default 32000)")
        .option("threads", 'j', "N", "threads for the parallel runs (default: every core)")
        .option("dump-ids", 0, "FILE", "write the ids of the first documents here")
        .option("dump-docs", 0, "N", "how many documents --dump-ids covers (default 2000)");
    app::ParsedArgs args = parser.parse(std::vector<std::string>(argv + 1, argv + argc));
    if (args.helpRequested) {
        std::printf("%s", parser.help().c_str());
        return 0;
    }
    if (!args.has("corpus") || !args.has("tokenizer"))
        common::fail("--corpus and --tokenizer are required");
    int threads = int(args.intValue("threads", tbb::info::default_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));

    common::MappedFile corpus(args.value("corpus"));
    std::vector<std::string_view> documents = splitDocuments(corpus.view());
    uint64_t bytes = 0;
    for (std::string_view document : documents)
        bytes += document.size();
    const double mib = double(bytes) / (1 << 20);

    TrainerConfig config;
    config.vocabSize = size_t(args.intValue("vocab-size", 32000));
    config.numThreads = threads;
    auto start = std::chrono::steady_clock::now();
    BpeTrainer trainer(config);
    trainer.addDocuments(documents);
    double countSeconds = secondsSince(start);
    TokenizerData data = trainer.train();
    double trainSeconds = secondsSince(start);
    saveTokenizerJson(data, args.value("tokenizer"));
    Tokenizer tokenizer(std::move(data));

    // One thread, document by document, on this thread.
    std::vector<TokenId> ids;
    uint64_t numTokens = 0;
    start = std::chrono::steady_clock::now();
    for (std::string_view document : documents) {
        ids.clear();
        tokenizer.encode(document, SpecialPolicy::none(), ids);
        numTokens += ids.size();
    }
    double singleSeconds = secondsSince(start);

    // One thread again, on chunks of about 1 MiB (documents with their separators), where
    // per-call costs vanish; reference.py measures tiktoken on the same chunks.
    std::vector<std::string_view> chunks = joinIntoChunks(corpus.view(), documents);
    start = std::chrono::steady_clock::now();
    for (std::string_view chunk : chunks) {
        ids.clear();
        tokenizer.encode(chunk, SpecialPolicy::none(), ids);
    }
    double chunkSeconds = secondsSince(start);
    uint64_t chunkBytes = 0;
    for (std::string_view chunk : chunks)
        chunkBytes += chunk.size();

    start = std::chrono::steady_clock::now();
    auto batch = tokenizer.encodeBatch(documents);
    double batchSeconds = secondsSince(start);

    if (args.has("dump-ids")) {
        std::ofstream out(args.value("dump-ids"));
        size_t count = std::min(documents.size(), size_t(args.intValue("dump-docs", 2000)));
        for (size_t i = 0; i < count; ++i) {
            std::string line;
            for (size_t k = 0; k < batch[i].size(); ++k) {
                if (k > 0) line.push_back(' ');
                line += std::to_string(batch[i][k]);
            }
            out << line << '\n';
        }
    }

    common::JsonWriter json;
    json.beginObject()
        .key("corpus")
        .value(args.value("corpus"))
        .key("corpus_mib")
        .value(mib)
        .key("documents")
        .value(uint64_t(documents.size()))
        .key("threads")
        .value(threads)
        .key("vocab_size")
        .value(uint64_t(tokenizer.vocabSize()))
        .key("merges")
        .value(uint64_t(tokenizer.data().merges.size()))
        .key("train_seconds")
        .value(trainSeconds)
        .key("train_count_seconds")
        .value(countSeconds)
        .key("train_merge_seconds")
        .value(trainSeconds - countSeconds)
        .key("tokens")
        .value(numTokens)
        .key("bytes_per_token")
        .value(double(bytes) / double(numTokens))
        .key("encode_1_thread_mib_s")
        .value(mib / singleSeconds)
        .key("encode_1_thread_chunks_mib_s")
        .value(double(chunkBytes) / (1 << 20) / chunkSeconds)
        .key("encode_all_threads_mib_s")
        .value(mib / batchSeconds)
        .endObject();
    std::printf("%s\n", json.str().c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const common::Error& error) {
        std::fprintf(stderr, "bench_tokenizer: error: %s\n", error.what());
        return 1;
    }
}
