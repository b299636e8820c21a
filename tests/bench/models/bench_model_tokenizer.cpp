// bench_model_tokenizer: encode throughput (MiB/s) of a real model's tokenizer.json (the
// DeepSeek-V3 tokenizer: 128,000 byte-level BPE tokens, a Sequence of three Split pre-tokenizers)
// on the first --mib MiB of documents of a plain-text corpus cut at blank lines, as
// tests/bench/tokenizer splits it: on one thread document by document, and on every thread.
// Prints one JSON object; tokenizer.py measures tiktoken and Hugging Face tokenizers on the same
// documents and checks the ids of all of them.
//
//   bench_model_tokenizer --tokenizer tokenizer.json --corpus bench-data/corpus.txt
//                         [--mib 16] [--threads N] [--dump-ids FILE]
#include "app/cli/arg_parser.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/mapped_file.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <fstream>

using namespace strata;
using namespace strata::tokenizer;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Documents separated by blank lines, separators dropped, until `limit` bytes are taken;
// tokenizer.py reads the same ones.
std::vector<std::string_view> firstDocuments(std::string_view corpus, uint64_t limit) {
    std::vector<std::string_view> documents;
    uint64_t taken = 0;
    size_t start = 0;
    while (start <= corpus.size() && taken < limit) {
        size_t end = std::min(corpus.find("\n\n", start), corpus.size());
        if (end > start) {
            documents.push_back(corpus.substr(start, end - start));
            taken += end - start;
        }
        start = end + 2;
    }
    return documents;
}

int run(int argc, char** argv) {
    app::ArgParser parser("bench_model_tokenizer", "--tokenizer FILE --corpus FILE [options]",
                          "Times a tokenizer.json's encoding; prints JSON.");
    parser.option("tokenizer", 0, "FILE", "a tokenizer.json (or a model folder)")
        .option("corpus", 0, "FILE", "UTF-8 text, documents separated by blank lines")
        .option("mib", 0, "N", "MiB of documents to encode (default 16)")
        .option("threads", 'j', "N", "threads for the parallel run (default: every core)")
        .option("dump-ids", 0, "FILE", "write every document's ids here, one line each");
    app::ParsedArgs args = parser.parse({argv + 1, argv + argc});
    if (args.helpRequested) {
        fmt::print("{}", parser.help());
        return 0;
    }
    if (!args.has("corpus") || !args.has("tokenizer"))
        common::fail("--corpus and --tokenizer are required");
    int threads = int(args.intValue("threads", tbb::info::default_concurrency()));
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));

    Tokenizer tokenizer = loadTokenizer(args.value("tokenizer"));
    common::MappedFile corpus(args.value("corpus"));
    std::vector<std::string_view> documents =
        firstDocuments(corpus.view(), uint64_t(args.intValue("mib", 16)) << 20);
    uint64_t bytes = 0;
    for (std::string_view document : documents)
        bytes += document.size();
    const double mib = double(bytes) / (1 << 20);

    // One thread, document by document (the piece cache starts cold, as in tests/bench/tokenizer).
    std::vector<TokenId> ids;
    uint64_t numTokens = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::string_view document : documents) {
        ids.clear();
        tokenizer.encode(document, SpecialPolicy::none(), ids);
        numTokens += ids.size();
    }
    double singleSeconds = secondsSince(start);

    start = std::chrono::steady_clock::now();
    std::vector<std::vector<TokenId>> batch = tokenizer.encodeBatch(documents);
    double batchSeconds = secondsSince(start);

    if (args.has("dump-ids")) {
        std::ofstream out(args.value("dump-ids"));
        for (const std::vector<TokenId>& row : batch) {
            std::string line;
            for (size_t k = 0; k < row.size(); ++k) {
                if (k > 0) line.push_back(' ');
                line += std::to_string(row[k]);
            }
            out << line << '\n';
        }
    }

    common::JsonWriter json;
    json.beginObject()
        .key("tokenizer")
        .value(args.value("tokenizer"))
        .key("vocab_size")
        .value(uint64_t(tokenizer.vocabSize()))
        .key("corpus_mib")
        .value(mib)
        .key("documents")
        .value(uint64_t(documents.size()))
        .key("threads")
        .value(threads)
        .key("tokens")
        .value(numTokens)
        .key("bytes_per_token")
        .value(double(bytes) / double(numTokens))
        .key("encode_1_thread_mib_s")
        .value(mib / singleSeconds)
        .key("encode_all_threads_mib_s")
        .value(mib / batchSeconds)
        .endObject();
    fmt::print("{}\n", json.str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        fmt::print(stderr, "bench_model_tokenizer: error: {}\n", error.what());
        return 1;
    }
}
