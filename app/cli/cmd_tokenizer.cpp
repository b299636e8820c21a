// `strata-cli tokenizer train|encode|decode|inspect`: argument handling and I/O around
// core/tokenizer. Training reads inputs through core/data's DocumentReader (HTML pages become
// their visible text); encode and inspect recognize special tokens per --special. --tokenizer
// takes a tokenizer.json or a model folder (tokenizer.json + tokenizer_config.json); encode
// prints Hugging Face's encode(text, add_special_tokens=False) ids (True with --add-special),
// decode prints Hugging Face's decode(ids, skip_special_tokens=False).
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/cleaning/document_reader.h"
#include "core/cleaning/html_to_text.h"
#include "core/common/error.h"
#include "core/common/progress.h"
#include "core/common/utf8.h"
#include "core/tokenizer/bpe_trainer.h"
#include "core/tokenizer/tokenizer_json.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>

namespace strata::app {

namespace {

using common::fail;
using tokenizer::SpecialPolicy;
using tokenizer::TokenId;
using tokenizer::Tokenizer;

constexpr size_t kTrainBatchBytes = 64 << 20;
constexpr size_t kTrainTextPieceBytes = 1 << 20;
constexpr size_t kEncodeBatchLines = 4096;

std::vector<std::string> splitList(const std::string& list) {
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = std::min(list.find(',', start), list.size());
        if (comma > start) items.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

std::string readStdin() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

void writeStdout(std::string_view bytes) {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
}

void appendIds(std::string& out, const std::vector<TokenId>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) out.push_back(' ');
        fmt::format_to(std::back_inserter(out), "{}", ids[i]);
    }
    out.push_back('\n');
}

// --special all|none|LIST.
SpecialPolicy specialPolicy(const ParsedArgs& parsed) {
    std::string mode = parsed.value("special", "all");
    if (mode == "all") return SpecialPolicy::all();
    if (mode == "none") return SpecialPolicy::none();
    return SpecialPolicy::only(splitList(mode));
}

Tokenizer openTokenizer(const ParsedArgs& parsed) {
    if (!parsed.has("tokenizer")) fail("--tokenizer is required (see --help)");
    return tokenizer::loadTokenizer(parsed.value("tokenizer"));
}

int train(const Args& args) {
    const std::string command = "strata-cli tokenizer train";
    ArgParser parser(command, "INPUT... -o tokenizer.json --vocab-size N [options]",
                     "Trains a byte-level BPE tokenizer with GPT-4-style pre-tokenization and\n"
                     "writes it as a Hugging Face tokenizer.json.");
    parser.positional("INPUT", 1, -1, ".txt, .jsonl, .jsonl.zst, .html files or folders")
        .option("output", 'o', "FILE", "the tokenizer.json to write")
        .option("vocab-size", 0, "N", "tokens in all: 256 bytes + merges + special tokens")
        .option("min-frequency", 0, "N", "never merge a pair seen fewer times (default 2)")
        .option(
            "special-tokens", 0, "LIST",
            "comma-separated (default <|bos|>,<|eos|>,<|pad|>,<|system|>,<|user|>,<|assistant|>)")
        .option("text-field", 0, "NAME", "the JSONL field holding the text (default text)")
        .option("threads", 'j', "N", "threads for counting (default: every core)");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (!parsed->has("output")) fail("-o/--output is required (see --help)");
    if (!parsed->has("vocab-size")) fail("--vocab-size is required (see --help)");
    tokenizer::TrainerConfig config;
    int64_t vocabSize = parsed->intValue("vocab-size", 0);
    int64_t minFrequency = parsed->intValue("min-frequency", 2);
    int64_t threads = parsed->intValue("threads", 0);
    if (vocabSize <= 0) fail("--vocab-size must be positive");
    if (minFrequency < 1) fail("--min-frequency must be at least 1");
    if (threads < 0) fail("-j must not be negative");
    config.vocabSize = size_t(vocabSize);
    config.minFrequency = uint64_t(minFrequency);
    config.numThreads = int(threads);
    if (parsed->has("special-tokens"))
        config.specialTokens = splitList(parsed->value("special-tokens"));

    auto start = std::chrono::steady_clock::now();
    tokenizer::BpeTrainer trainer(config);
    std::vector<std::filesystem::path> inputs(parsed->positionals().begin(),
                                              parsed->positionals().end());
    cleaning::ReaderOptions options;
    options.textField = parsed->value("text-field", "text");
    options.textPieceBytes = kTrainTextPieceBytes;  // text files of any size stream in pieces
    cleaning::DocumentReader reader(inputs, options);
    uint64_t numDocuments = 0;
    {
        common::Progress progress("counting", reader.totalInputBytes(), "bytes");
        std::vector<std::string> batch;
        size_t batchBytes = 0;
        uint64_t reported = 0;
        auto flush = [&] {
            std::vector<std::string_view> views(batch.begin(), batch.end());
            trainer.addDocuments(views);
            progress.advance(reader.inputBytesRead() - reported);
            reported = reader.inputBytesRead();
            batch.clear();
            batchBytes = 0;
        };
        cleaning::Document document;
        while (reader.next(document)) {
            ++numDocuments;
            if (document.format == cleaning::DocumentFormat::Html) {
                std::string text;
                cleaning::htmlToText(document.text, text);
                document.text = std::move(text);
            }
            batchBytes += document.text.size();
            batch.push_back(std::move(document.text));
            if (batchBytes >= kTrainBatchBytes) flush();
        }
        flush();
    }
    tokenizer::TokenizerData data;
    {
        common::Progress progress("merging", 0, "tokens");
        size_t reported = 0;
        data = trainer.train([&](size_t done, size_t wanted) {
            progress.setTotal(wanted);
            progress.advance(done - reported);
            reported = done;
        });
    }
    std::string output = parsed->value("output");
    tokenizer::saveTokenizerJson(data, output);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(
        stderr, "%s: %zu tokens (%zu merges, %zu special) from %.1f MB in %llu documents, %.1f s\n",
        output.c_str(), data.tokens.size(), data.merges.size(), data.addedTokens.size(),
        double(trainer.numBytes()) / 1e6, static_cast<unsigned long long>(numDocuments), seconds);
    if (data.tokens.size() < config.vocabSize)
        std::fprintf(stderr,
                     "note: stopped below --vocab-size %zu: no pair left with count >= %llu\n",
                     config.vocabSize, static_cast<unsigned long long>(config.minFrequency));
    return 0;
}

int encode(const Args& args) {
    const std::string command = "strata-cli tokenizer encode";
    ArgParser parser(command, "--tokenizer PATH [--lines] [--add-special] [TEXT]",
                     "Prints the token ids of TEXT (or stdin), separated by spaces: what Hugging\n"
                     "Face's encode(text, add_special_tokens=False) gives.");
    parser.positional("TEXT", 0, 1, "the text; stdin when absent")
        .option("tokenizer", 't', "PATH", "tokenizer.json, or a model folder holding one")
        .flag("lines", 'l', "one output line per input line (the newline is not encoded)")
        .flag("add-special", 0,
              "add what the post-processor adds (BOS/EOS), as add_special_tokens=True")
        .option("special", 0, "MODE",
                "special tokens to recognize: all (default), none, or a comma list");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    Tokenizer tokenizer = openTokenizer(*parsed);
    SpecialPolicy policy = specialPolicy(*parsed);
    const bool addSpecial = parsed->flag("add-special");
    std::string out;
    auto finish = [&](const std::vector<TokenId>& ids) {
        appendIds(out, addSpecial ? tokenizer.addSpecialTokens(ids) : ids);
    };
    bool fromStdin = parsed->positionals().empty();
    if (!parsed->flag("lines")) {
        std::string text = fromStdin ? readStdin() : parsed->positionals()[0];
        finish(tokenizer.encode(text, policy));
        writeStdout(out);
        return 0;
    }
    // Lines are encoded in batches on all cores and printed in input order.
    std::vector<std::string> lines;
    auto flush = [&] {
        std::vector<std::string_view> views(lines.begin(), lines.end());
        for (const auto& ids : tokenizer.encodeBatch(views, policy))
            finish(ids);
        writeStdout(out);
        out.clear();
        lines.clear();
    };
    if (fromStdin) {
        std::string line;
        while (std::getline(std::cin, line)) {
            lines.push_back(std::move(line));
            if (lines.size() == kEncodeBatchLines) flush();
        }
    } else {
        const std::string& text = parsed->positionals()[0];
        for (size_t start = 0; start < text.size();) {
            size_t end = std::min(text.find('\n', start), text.size());
            lines.push_back(text.substr(start, end - start));
            start = end + 1;
        }
    }
    flush();
    return 0;
}

std::vector<TokenId> parseIds(std::string_view text) {
    std::vector<TokenId> ids;
    size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
            ++pos;
        size_t end = pos;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
            ++end;
        if (end == pos) break;
        std::string_view word = text.substr(pos, end - pos);
        uint64_t id = 0;
        auto [stop, error] = std::from_chars(word.data(), word.data() + word.size(), id);
        if (error != std::errc() || stop != word.data() + word.size() || id > UINT32_MAX)
            fail("'{}' is not a token id", word);
        ids.push_back(TokenId(id));
        pos = end;
    }
    return ids;
}

int decode(const Args& args) {
    const std::string command = "strata-cli tokenizer decode";
    ArgParser parser(command, "--tokenizer PATH [--lines] [IDS...]",
                     "Prints the text of token ids given as arguments or on stdin, as Hugging\n"
                     "Face's decode(ids, skip_special_tokens=False) does.");
    parser.positional("IDS", 0, -1, "token ids; stdin when absent")
        .option("tokenizer", 't', "PATH", "tokenizer.json, or a model folder holding one")
        .flag("lines", 'l', "each input line of ids becomes one output line");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    Tokenizer tokenizer = openTokenizer(*parsed);
    std::string input;
    if (parsed->positionals().empty()) {
        input = readStdin();
    } else {
        for (const std::string& id : parsed->positionals())
            input += id + " ";
    }
    if (parsed->flag("lines")) {
        std::string out;
        for (size_t start = 0; start < input.size();) {
            size_t end = std::min(input.find('\n', start), input.size());
            out +=
                tokenizer.decodeText(parseIds(std::string_view(input).substr(start, end - start)));
            out.push_back('\n');
            start = end + 1;
        }
        writeStdout(out);
        return 0;
    }
    // A newline only for a terminal's sake.
    writeStdout(tokenizer.decodeText(parseIds(input)));
    if (::isatty(STDOUT_FILENO)) writeStdout("\n");
    return 0;
}

// A token's bytes as a quoted, printable string: escapes for controls, quotes and bytes that
// are not whole UTF-8 characters.
std::string printable(std::string_view bytes) {
    std::string out = "\"";
    size_t pos = 0;
    while (pos < bytes.size()) {
        unsigned char c = static_cast<unsigned char>(bytes[pos]);
        size_t length = common::utf8SequenceLength(bytes, pos);
        if (c >= 0x80 && length > 0) {
            out.append(bytes.substr(pos, length));
            pos += length;
            continue;
        }
        switch (c) {
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                if (c < 0x20 || c >= 0x7F) {
                    out += fmt::format("\\x{:02X}", c);
                } else {
                    out.push_back(char(c));
                }
        }
        ++pos;
    }
    return out + "\"";
}

int inspect(const Args& args) {
    const std::string command = "strata-cli tokenizer inspect";
    ArgParser parser(command, "--tokenizer FILE [TEXT]",
                     "Shows how TEXT (or stdin) is split: every token with its id and text,\n"
                     "and the compression in bytes per token.");
    parser.positional("TEXT", 0, 1, "the text; stdin when absent")
        .option("tokenizer", 't', "PATH", "tokenizer.json, or a model folder holding one")
        .option("special", 0, "MODE",
                "special tokens to recognize: all (default), none, or a comma list");
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    Tokenizer tokenizer = openTokenizer(*parsed);
    std::string text = parsed->positionals().empty() ? readStdin() : parsed->positionals()[0];
    std::vector<TokenId> ids = tokenizer.encode(text, specialPolicy(*parsed));
    std::string out = fmt::format(
        "{}: {} tokens ({} merges, {} added)\n", parsed->value("tokenizer"), tokenizer.vocabSize(),
        tokenizer.data().merges.size(), tokenizer.data().addedTokens.size());
    out += fmt::format("{:>8}  {:>5}  {}\n", "id", "bytes", "token");
    for (TokenId id : ids) {
        std::string_view bytes = tokenizer.tokenBytes(id);
        out += fmt::format("{:>8}  {:>5}  {}{}\n", id, bytes.size(), printable(bytes),
                           tokenizer.isAdded(id) ? "  (special)" : "");
    }
    double ratio = ids.empty() ? 0.0 : double(text.size()) / double(ids.size());
    out += fmt::format("{} bytes -> {} tokens: {:.2f} bytes per token\n", text.size(), ids.size(),
                       ratio);
    writeStdout(out);
    return 0;
}

void printUsage(std::FILE* out) {
    std::fprintf(out,
                 "usage: strata-cli tokenizer SUBCOMMAND [ARGS...]\n\n"
                 "subcommands:\n"
                 "  train     train a byte-level BPE tokenizer on text and write tokenizer.json\n"
                 "  encode    print the token ids of a text\n"
                 "  decode    print the text of token ids\n"
                 "  inspect   show each token of a text with its id, and the compression\n\n"
                 "`strata-cli tokenizer SUBCOMMAND --help` describes each one.\n");
}

}  // namespace

int runTokenizer(const Args& args) {
    if (args.empty()) {
        printUsage(stderr);
        return 2;
    }
    const std::string& name = args[0];
    Args rest(args.begin() + 1, args.end());
    if (name == "train") return train(rest);
    if (name == "encode") return encode(rest);
    if (name == "decode") return decode(rest);
    if (name == "inspect") return inspect(rest);
    if (name == "--help" || name == "-h" || name == "help") {
        printUsage(stdout);
        return 0;
    }
    fail("unknown subcommand '{}' (train, encode, decode or inspect)", name);
}

}  // namespace strata::app
