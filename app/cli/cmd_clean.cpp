// strata-cli clean: argument parsing and reporting around core/data's cleaning pipeline. The
// stages, their config and the funnel live in core/data; this file only wires flags to them.
#include "app/cli/arg_parser.h"
#include "app/cli/commands.h"
#include "core/cleaning/clean_config.h"
#include "core/cleaning/cleaning_pipeline.h"
#include "core/common/atomic_file.h"
#include "core/common/config_reader.h"
#include "core/common/error.h"
#include "core/common/toml_text.h"

#include <cstdio>

namespace strata::app {

namespace {

ArgParser makeParser() {
    ArgParser parser(
        "strata-cli clean", "INPUT... -o OUT.jsonl[.zst] [OPTIONS]",
        "Cleans raw text (.txt, .jsonl, .jsonl.zst, .html, or folders of them) into deduplicated "
        "JSONL: HTML extraction (also of documents whose text is markup), terminal escape "
        "removal, masking, Unicode and white-space normalization, quality and repetition "
        "filters, exact and near dedup. Prints a funnel of what each stage removed.");
    parser.option("output", 'o', "OUT", "output .jsonl or .jsonl.zst, one {\"text\": ...} per line")
        .option("config", 0, "FILE", "clean config (TOML); see --print-default-config")
        .option("set", 0, "KEY=VALUE",
                "override one config key, e.g. --set words.min=20 (repeatable)")
        .option("report", 0, "FILE", "write the funnel as JSON")
        .option("rejected", 0, "FILE", "write removed documents with their reason (JSONL)")
        .option("threads", 'j', "N", "worker threads (default: all cores)")
        .option("text-field", 0, "NAME", "JSONL field holding the text (default: text)")
        .flag("strict", 0, "stop at the first malformed, oversized or text-less input line")
        .flag("quiet", 'q', "no progress bar and no summary")
        .flag("print-default-config", 0, "print the default config, every key commented, and exit")
        .positional("INPUT", 0, -1, "input files or folders");
    return parser;
}

}  // namespace

int runClean(const Args& args) {
    ArgParser parser = makeParser();
    std::optional<ParsedArgs> parsed = parseArgs(parser, args);
    if (!parsed) return 0;
    if (parsed->flag("print-default-config")) {
        std::fputs(cleaning::defaultCleanConfigText().c_str(), stdout);
        return 0;
    }
    if (parsed->positionals().empty()) common::fail("no INPUT given (see --help)");
    if (!parsed->has("output"))
        common::fail("no output given: add -o OUT.jsonl or -o OUT.jsonl.zst");

    common::ConfigReader config = parsed->has("config")
                                      ? common::ConfigReader::fromFile(parsed->value("config"))
                                      : common::ConfigReader::empty("(defaults)");
    for (const std::string& assignment : parsed->values("set"))
        config.applyOverride(assignment);
    if (parsed->has("text-field"))
        config.applyOverride("input.text_field=" + common::tomlString(parsed->value("text-field")));
    cleaning::CleanConfig cleanConfig = cleaning::readCleanConfig(config);

    cleaning::CleanRunOptions options;
    for (const std::string& input : parsed->positionals())
        options.inputs.emplace_back(input);
    options.output = parsed->value("output");
    std::string outputName = options.output.filename().string();
    if (!(outputName.ends_with(".jsonl") || outputName.ends_with(".jsonl.zst")))
        common::fail("{}: the output must end in .jsonl or .jsonl.zst", options.output.string());
    if (parsed->has("rejected")) options.rejected = parsed->value("rejected");
    options.strict = parsed->flag("strict");
    int64_t threads = parsed->intValue("threads", 0);
    if (threads < 0 || threads > 4096)
        common::fail("-j {}: expected 0 (all cores) to 4096 threads", threads);
    options.numThreads = int(threads);
    bool quiet = parsed->flag("quiet");
    options.progress = !quiet;
    options.onWarning = [](const std::string& line) {
        std::fprintf(stderr, "strata-cli clean: warning: %s\n", line.c_str());
    };

    // The report's folder is checked before the long run, not after it.
    std::unique_ptr<common::AtomicFile> report;
    if (parsed->has("report"))
        report = std::make_unique<common::AtomicFile>(parsed->value("report"));

    cleaning::CleanFunnel funnel = cleaning::cleanCorpus(cleanConfig, options);
    if (report) {
        report->write(funnel.toJson() + "\n");
        report->commit();
    }
    if (!quiet) std::fputs(("strata-cli clean: " + funnel.summary()).c_str(), stderr);
    return 0;
}

}  // namespace strata::app
