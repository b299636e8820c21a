// bench_clean: cleaning throughput on a real-text JSONL corpus (scripts/make-bench-corpus writes
// bench-data/corpus.jsonl, >= 100 MB). Runs the whole pipeline (read, clean, filter, dedup,
// write) with every filter on, first without and then with MinHash near dedup, and reports MB/s
// of input and MB/s per thread. The stage section times the fast normalizer and repetition
// filter against their plain reference versions on the same documents, as a ratio.
// Prints one JSON object. Not a test: nothing is checked.
//
//   bench_clean [--corpus PATH] [--threads N] [--stage-mb MB]
#include "core/cleaning/clean_config.h"
#include "core/cleaning/cleaning_pipeline.h"
#include "core/cleaning/document_reader.h"
#include "core/cleaning/repetition_filter.h"
#include "core/cleaning/text_normalizer.h"
#include "core/cleaning/text_profile.h"
#include "core/common/progress.h"

#include <fmt/format.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

using namespace strata::data;
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct PipelineResult {
    double seconds;
    uint64_t bytes;
    uint64_t documentsIn;
    uint64_t documentsOut;
};

PipelineResult runPipeline(const fs::path& corpus, const fs::path& scratch, bool nearDedup,
                           int threads) {
    strata::cleaning::CleanConfig config;
    config.nearDedup.enabled = nearDedup;
    strata::cleaning::CleanRunOptions options;
    options.inputs = {corpus};
    options.output = scratch / "out.jsonl";
    options.numThreads = threads;
    options.progress = false;
    options.onWarning = [](const std::string&) {};
    auto start = std::chrono::steady_clock::now();
    strata::cleaning::CleanFunnel funnel = strata::cleaning::cleanCorpus(config, options);
    double seconds = secondsSince(start);
    fs::remove(options.output);
    return {seconds, funnel.reader.bytes, funnel.documentsIn, funnel.documentsOut};
}

// Times fast and reference versions of a stage over the same documents.
struct StageTiming {
    double fastSeconds = 0;
    double referenceSeconds = 0;
    uint64_t bytes = 0;
};

void timeStages(const fs::path& corpus, uint64_t limitBytes, StageTiming& normalize,
                StageTiming& repetition) {
    strata::cleaning::DocumentReader reader({corpus}, strata::cleaning::ReaderOptions{});
    strata::cleaning::Document document;
    std::string out, scratch;
    strata::cleaning::NormalizeOptions options;
    strata::cleaning::TextProfile profile;
    strata::cleaning::RepetitionFilter filter;
    double sink = 0;
    while (normalize.bytes < limitBytes && reader.next(document)) {
        auto start = std::chrono::steady_clock::now();
        strata::cleaning::normalizeText(document.text, options, out, scratch);
        normalize.fastSeconds += secondsSince(start);
        start = std::chrono::steady_clock::now();
        std::string reference = strata::cleaning::normalizeTextReference(document.text, options);
        normalize.referenceSeconds += secondsSince(start);
        normalize.bytes += document.text.size();

        profile.build(out);
        start = std::chrono::steady_clock::now();
        sink += filter.measure(profile).duplicateLineFraction;
        repetition.fastSeconds += secondsSince(start);
        start = std::chrono::steady_clock::now();
        sink += strata::cleaning::measureRepetitionReference(profile).duplicateLineFraction;
        repetition.referenceSeconds += secondsSince(start);
        repetition.bytes += out.size();
    }
    if (sink < 0) std::puts("");  // keeps the work observable
}

double mbPerSecond(uint64_t bytes, double seconds) {
    return seconds > 0 ? double(bytes) / 1e6 / seconds : 0;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path corpus = fs::path(STRATA_SOURCE_DIR) / "bench-data" / "corpus.jsonl";
    int threads = 1;
    double stageMb = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--corpus")
            corpus = argv[i + 1];
        else if (flag == "--threads")
            threads = std::stoi(argv[i + 1]);
        else if (flag == "--stage-mb")
            stageMb = std::stod(argv[i + 1]);
        else {
            std::fprintf(stderr,
                         "usage: bench_clean [--corpus PATH] [--threads N] [--stage-mb MB]\n");
            return 2;
        }
    }
    if (!fs::exists(corpus)) {
        std::fprintf(stderr, "bench_clean: %s: no corpus; run scripts/make-bench-corpus first\n",
                     corpus.c_str());
        return 2;
    }
    strata::common::Progress::setEnabled(false);
    fs::path scratch = fs::temp_directory_path() / fmt::format("bench_clean-{}", ::getpid());
    fs::create_directories(scratch);

    PipelineResult plain = runPipeline(corpus, scratch, false, threads);
    PipelineResult near = runPipeline(corpus, scratch, true, threads);
    StageTiming normalize, repetition;
    timeStages(corpus, uint64_t(stageMb * 1e6), normalize, repetition);
    fs::remove_all(scratch);

    auto pipelineJson = [&](const PipelineResult& r) {
        double rate = mbPerSecond(r.bytes, r.seconds);
        return fmt::format(
            "{{\"seconds\": {:.3f}, \"mb_per_s\": {:.1f}, \"mb_per_s_per_thread\": {:.1f}, "
            "\"documents_in\": {}, \"documents_out\": {}}}",
            r.seconds, rate, rate / threads, r.documentsIn, r.documentsOut);
    };
    auto stageJson = [&](const StageTiming& t) {
        return fmt::format(
            "{{\"fast_mb_per_s\": {:.1f}, \"reference_mb_per_s\": {:.1f}, \"speedup\": {:.1f}}}",
            mbPerSecond(t.bytes, t.fastSeconds), mbPerSecond(t.bytes, t.referenceSeconds),
            t.fastSeconds > 0 ? t.referenceSeconds / t.fastSeconds : 0.0);
    };
    std::printf(
        "{\"corpus\": \"%s\", \"corpus_mb\": %.1f, \"threads\": %d, \"hardware_threads\": %u,\n"
        " \"all_filters_no_near_dedup\": %s,\n \"all_filters_with_near_dedup\": %s,\n"
        " \"stages_on_first_%.0f_mb\": {\"normalize\": %s, \"repetition\": %s}}\n",
        corpus.c_str(), double(plain.bytes) / 1e6, threads, std::thread::hardware_concurrency(),
        pipelineJson(plain).c_str(), pipelineJson(near).c_str(), stageMb,
        stageJson(normalize).c_str(), stageJson(repetition).c_str());
    return 0;
}
