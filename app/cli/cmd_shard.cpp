// `strata-cli shard`: tokenizes a cleaned corpus into the binary token shards the trainers read.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/cleaning/html_to_text.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/data/shard_builder.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>

#include <thread>

namespace strata::app {

using common::fail;

int runShard(const Args& args) {
    ArgParser parser("strata-cli shard", "INPUT... --tokenizer tokenizer.json -o DIR [options]",
                     "Tokenizes documents into train and validation token shards, each document\n"
                     "closed by <|eos|>, with a manifest.json describing the folder.");
    parser.positional("INPUT", 1, -1, ".jsonl, .jsonl.zst, .txt, .html files or folders")
        .option("tokenizer", 't', "FILE", "tokenizer.json")
        .option("output", 'o', "DIR", "the shard folder to write (replaced when complete)")
        .option("config", 'c', "FILE", "TOML with [shard] and [shard.chunking] tables")
        .option("set", 0, "KEY=VALUE",
                "override one config key, e.g. shard.validation_fraction=0.05")
        .option("text-field", 0, "NAME", "the JSONL field holding the text (default text)")
        .option("threads", 'j', "N", "threads (default: every core)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("tokenizer")) fail("--tokenizer is required (see --help)");
    if (!parsed->has("output")) fail("-o/--output is required (see --help)");
    int64_t threads = parsed->intValue("threads", 0);
    if (threads < 0) fail("-j must not be negative");
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());

    common::ConfigReader config = parsed->has("config")
                                      ? common::ConfigReader::fromFile(parsed->value("config"))
                                      : common::ConfigReader::empty("defaults");
    for (const std::string& assignment : parsed->values("set"))
        config.applyOverride(assignment);
    data::ShardConfig shardConfig;
    shardConfig.read(config);
    config.finish();

    std::string tokenizerPath = parsed->value("tokenizer");
    tokenizer::Tokenizer tokenizer = tokenizer::loadTokenizer(tokenizerPath);
    std::optional<tokenizer::TokenId> eos = tokenizer.findAddedToken("<|eos|>");
    if (!eos) fail("{}: the tokenizer has no <|eos|> token to separate documents", tokenizerPath);
    data::TokenizerInfo info;
    info.path = std::filesystem::absolute(tokenizerPath).string();
    info.fingerprint = tokenizer::tokenizerFingerprint(tokenizerPath);
    info.vocabSize = uint32_t(tokenizer.vocabSize());
    info.eosId = *eos;

    cleaning::ReaderOptions readerOptions;
    readerOptions.textField = parsed->value("text-field", "text");
    cleaning::DocumentReader reader({parsed->positionals().begin(), parsed->positionals().end()},
                                    readerOptions);
    // Special-token text inside documents is encoded as ordinary text, never as control tokens.
    data::TextEncoder encode = [&](std::string_view text, std::vector<uint32_t>& out) {
        out.clear();
        tokenizer.encode(text, tokenizer::SpecialPolicy::none(), out);
    };
    data::ShardReport report =
        data::buildShards(reader, encode, info, parsed->value("output"), shardConfig, int(threads));

    uint64_t tokens = report.train.tokens + report.validation.tokens;
    fmt::print(
        stderr,
        "{}: train {} documents, {} tokens in {} files; validation {} documents, {} tokens\n",
        parsed->value("output"), report.train.documents, report.train.tokens,
        report.train.files.size(), report.validation.documents, report.validation.tokens);
    if (tokens > 0)
        fmt::print(stderr, "compression: {:.2f} bytes per token ({:.1f} MB of text)\n",
                   double(report.reader.bytes) / double(tokens), double(report.reader.bytes) / 1e6);
    return 0;
}

}  // namespace strata::app
