#include "core/cleaning/clean_preview.h"

#include "core/cleaning/document_cleaner.h"
#include "core/cleaning/document_reader.h"

#include <random>

namespace strata::cleaning {

std::vector<PreviewDocument> previewCleaning(const CleanConfig& config,
                                             const std::vector<std::filesystem::path>& inputs,
                                             const PreviewOptions& options) {
    DocumentCleaner cleaner(config);
    DocumentCleaner::Scratch scratch;
    std::mt19937_64 random(options.seed);
    std::vector<PreviewDocument> preview;
    size_t perInput = inputs.empty() ? 0 : (options.documents + inputs.size() - 1) / inputs.size();
    for (const std::filesystem::path& input : inputs) {
        ReaderOptions readerOptions;
        readerOptions.textField = config.input.textField;
        readerOptions.maxDocumentBytes = uint64_t(config.input.maxDocumentBytes);
        readerOptions.onWarning = [](const std::string&) {};  // the run's funnel counts them
        DocumentReader reader({input}, readerOptions);
        std::vector<Document> sample;
        Document document;
        for (uint64_t seen = 0; seen < options.scanPerInput && reader.next(document); ++seen) {
            if (sample.size() < perInput) {
                sample.push_back(document);
            } else if (uint64_t slot = random() % (seen + 1); slot < perInput) {
                sample[slot] = document;
            }
        }
        for (Document& picked : sample) {
            CleanedDocument cleaned;
            cleaner.clean(picked, scratch, cleaned);
            preview.push_back({std::move(picked.source), picked.line, std::move(picked.text),
                               std::move(cleaned.text), cleaned.reason});
        }
    }
    return preview;
}

}  // namespace strata::cleaning
