// The cleaning run over a whole corpus: read → clean → dedup → write, on all cores, with a result
// that does not depend on the thread count. A TBB parallel_pipeline moves batches of documents
// through three filters:
//   1. serial, in order: the DocumentReader fills a batch;
//   2. parallel: DocumentCleaner cleans, filters and signs each document of a batch;
//   3. serial, in order: exact dedup, LSH near dedup, the output and the --rejected side file,
//      and the funnel counts.
// Dedup decisions are taken only in (3), in input order, so "first occurrence wins" means the
// same document for -j 1 and -j 64. Outputs are AtomicFiles: on any error nothing appears.
#pragma once

#include "core/cleaning/clean_config.h"
#include "core/cleaning/clean_funnel.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata::cleaning {

struct CleanRunOptions {
    std::vector<std::filesystem::path> inputs;
    std::filesystem::path output;                   // .jsonl or .jsonl.zst: {"text": ...} per line
    std::optional<std::filesystem::path> rejected;  // {"reason","source","line","text"} per line
    bool strict = false;                            // reader problems are fatal
    int numThreads = 0;                             // 0: all cores
    bool progress = true;                           // a progress bar on stderr
    std::function<void(const std::string&)> onWarning;  // reader warnings; empty: spdlog
};

// Runs the pipeline and commits the outputs. Throws common::Error (and writes nothing) on a fatal
// input problem, an unwritable output, or when the inputs hold no document at all.
CleanFunnel cleanCorpus(const CleanConfig& config, const CleanRunOptions& options);

}  // namespace strata::cleaning
