#include "core/cleaning/cleaning_pipeline.h"

#include "core/cleaning/document_cleaner.h"
#include "core/cleaning/document_reader.h"
#include "core/cleaning/exact_dedup.h"
#include "core/cleaning/near_dedup.h"
#include "core/common/error.h"
#include "core/common/json_writer.h"
#include "core/common/jsonl_writer.h"
#include "core/common/progress.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace strata::cleaning {

namespace {

constexpr size_t kBatchDocuments = 256;
constexpr size_t kBatchBytes = 4 << 20;

// Batches are recycled so their strings keep their capacity: no allocation per document once
// the pipeline is warm.
struct Batch {
    std::vector<Document> documents;
    std::vector<CleanedDocument> results;
    size_t size = 0;
};

class BatchPool {
public:
    Batch* acquire() {
        std::lock_guard lock(m_mutex);
        if (m_free.empty()) {
            m_all.push_back(std::make_unique<Batch>());
            return m_all.back().get();
        }
        Batch* batch = m_free.back();
        m_free.pop_back();
        return batch;
    }
    void release(Batch* batch) {
        std::lock_guard lock(m_mutex);
        m_free.push_back(batch);
    }

private:
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Batch>> m_all;
    std::vector<Batch*> m_free;
};

std::string describeInputs(const std::vector<std::filesystem::path>& inputs) {
    std::string text;
    for (size_t i = 0; i < inputs.size() && i < 3; ++i)
        text += (i ? ", " : "") + inputs[i].string();
    if (inputs.size() > 3) text += fmt::format(" and {} more", inputs.size() - 3);
    return text;
}

}  // namespace

CleanFunnel cleanCorpus(const CleanConfig& config, const CleanRunOptions& options) {
    auto start = std::chrono::steady_clock::now();
    DocumentCleaner cleaner(config);
    ReaderOptions readerOptions;
    readerOptions.textField = config.input.textField;
    readerOptions.maxDocumentBytes = uint64_t(config.input.maxDocumentBytes);
    readerOptions.strict = options.strict;
    readerOptions.onWarning = options.onWarning;
    DocumentReader reader(options.inputs, readerOptions);

    common::JsonlWriter output(options.output);
    std::unique_ptr<common::JsonlWriter> rejected;
    if (options.rejected) rejected = std::make_unique<common::JsonlWriter>(*options.rejected);

    ExactDeduplicator exact;
    NearDuplicateIndex near(config.nearDedup);
    CleanFunnel funnel;
    BatchPool pool;
    tbb::enumerable_thread_specific<DocumentCleaner::Scratch> scratches;
    std::optional<common::Progress> progress;
    if (options.progress) progress.emplace("clean", reader.totalInputBytes(), "bytes");
    uint64_t reported = 0;
    std::string line;

    auto readBatch = [&](tbb::flow_control& control) -> Batch* {
        Batch* batch = pool.acquire();
        batch->size = 0;
        size_t bytes = 0;
        while (batch->size < kBatchDocuments && bytes < kBatchBytes) {
            if (batch->documents.size() == batch->size) batch->documents.emplace_back();
            Document& document = batch->documents[batch->size];
            if (!reader.next(document)) break;
            bytes += document.text.size();
            ++batch->size;
        }
        if (progress) {
            progress->advance(reader.inputBytesRead() - reported);
            reported = reader.inputBytesRead();
        }
        if (batch->size == 0) {
            pool.release(batch);
            control.stop();
            return nullptr;
        }
        return batch;
    };

    auto cleanBatch = [&](Batch* batch) -> Batch* {
        DocumentCleaner::Scratch& scratch = scratches.local();
        if (batch->results.size() < batch->size) batch->results.resize(batch->size);
        for (size_t i = 0; i < batch->size; ++i)
            cleaner.clean(batch->documents[i], scratch, batch->results[i]);
        return batch;
    };

    auto writeBatch = [&](Batch* batch) {
        for (size_t i = 0; i < batch->size; ++i) {
            const Document& document = batch->documents[i];
            CleanedDocument& result = batch->results[i];
            ++funnel.documentsIn;
            funnel.bytesIn += document.text.size();
            if (result.reason == RejectReason::Kept && config.exactDedup.enabled &&
                exact.isDuplicateElseInsert(result.hash))
                result.reason = RejectReason::ExactDuplicate;
            if (result.reason == RejectReason::Kept && config.nearDedup.enabled &&
                near.isDuplicateElseInsert(result.signature.data()))
                result.reason = RejectReason::NearDuplicate;
            if (result.reason == RejectReason::Kept) {
                line.assign("{\"text\":");
                common::appendJsonString(line, result.text);
                line.push_back('}');
                output.writeLine(line);
                ++funnel.documentsOut;
                funnel.bytesOut += result.text.size();
                funnel.htmlFiles += result.html == HtmlConversion::File;
                funnel.htmlDetected += result.html == HtmlConversion::Detected;
                funnel.escapeDocuments += result.escapesRemoved > 0;
                funnel.escapeSequences += result.escapesRemoved;
                funnel.masks.urls += result.masks.urls;
                funnel.masks.emails += result.masks.emails;
                funnel.masks.phones += result.masks.phones;
                funnel.masks.ips += result.masks.ips;
                continue;
            }
            ++funnel.removedDocuments[size_t(result.reason)];
            funnel.removedBytes[size_t(result.reason)] += document.text.size();
            if (rejected) {
                line.assign("{\"reason\":");
                common::appendJsonString(line, rejectReasonName(result.reason));
                line += ",\"source\":";
                common::appendJsonString(line, document.source);
                line += fmt::format(",\"line\":{},\"text\":", document.line);
                common::appendJsonString(line, result.text);
                line.push_back('}');
                rejected->writeLine(line);
            }
        }
        pool.release(batch);
    };

    // More threads than cores only adds contention (and TBB warns); the result is the same.
    int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    int threads = options.numThreads > 0 ? std::min(options.numThreads, cores) : cores;
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_pipeline(
            size_t(threads) * 4,
            tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order, readBatch) &
                tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel, cleanBatch) &
                tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, writeBatch));
    });
    if (progress) progress->finish();

    funnel.reader = reader.stats();
    if (funnel.documentsIn == 0)
        common::fail(
            "no documents in {} ({} malformed lines, {} without the text field '{}', {} "
            "oversized)",
            describeInputs(options.inputs), funnel.reader.malformedLines,
            funnel.reader.missingField, config.input.textField, funnel.reader.oversized);
    output.commit();
    if (rejected) rejected->commit();
    funnel.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return funnel;
}

}  // namespace strata::cleaning
