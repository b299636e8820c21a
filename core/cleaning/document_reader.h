// Streams documents out of input files and folders without loading a file at once: .txt (one
// document per file), .jsonl and .jsonl.zst (one document per line, text in a configurable
// field), .html/.htm (one document per file, raw markup). Memory stays bounded by
// maxDocumentBytes whatever the input size: a longer document or line is skipped as it streams
// past, and counted. Invalid UTF-8 is never fatal: each ill-formed byte becomes U+FFFD and the
// document is counted in ReaderStats::invalidUtf8. Folders contribute their files with a known
// extension (.txt .jsonl .jsonl.zst .html .htm), recursively, in sorted order; a file named
// directly with another extension is an error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace strata::cleaning {

enum class DocumentFormat { Text, Html };

struct Document {
    std::string text;
    DocumentFormat format = DocumentFormat::Text;
    std::string source;  // the file it came from
    uint64_t line = 0;   // 1-based line in a .jsonl; 0 for whole-file documents
};

struct ReaderOptions {
    std::string textField = "text";           // the JSONL field holding the document
    uint64_t maxDocumentBytes = 64ull << 20;  // longer documents are skipped, not loaded
    bool strict = false;                      // malformed input is fatal instead of skipped
    // 0: a .txt file is one document. Otherwise .txt files come in pieces of at most this many
    // bytes, cut after a line break where there is one (else at a character boundary), so a
    // text file of any size streams: for consumers that need text, not documents (tokenizer
    // training).
    uint64_t textPieceBytes = 0;
    // Receives each "file:line: reason" warning; empty means spdlog. At most maxWarnings are
    // passed on, then one line saying the rest are only counted.
    std::function<void(const std::string&)> onWarning;
    int maxWarnings = 20;
};

// What the reader skipped, and why; the cleaning funnel reports these.
struct ReaderStats {
    uint64_t files = 0;
    uint64_t documents = 0;
    uint64_t bytes = 0;           // input bytes read (decompressed)
    uint64_t malformedLines = 0;  // not JSON, or not an object
    uint64_t missingField = 0;    // an object without the text field (or not a string)
    uint64_t oversized = 0;       // longer than maxDocumentBytes
    uint64_t invalidUtf8 = 0;     // documents whose invalid bytes were replaced by U+FFFD

    uint64_t skipped() const { return malformedLines + missingField + oversized; }
};

class DocumentReader {
public:
    // Expands folders (recursively, sorted by path, so the order is deterministic) and checks
    // every input exists; throws common::Error naming the first bad path.
    DocumentReader(std::vector<std::filesystem::path> inputs, ReaderOptions options);
    ~DocumentReader();

    // Fills `doc` with the next document; false at the end of the last input. Skipped input is
    // reported once per problem as a one-line warning "file:line: reason" and counted in stats().
    // Throws common::Error for fatal problems (unreadable or truncated file, anything in strict).
    bool next(Document& doc);

    const ReaderStats& stats() const;
    // Total size of the input files on disk, and how much of it has been read: for progress.
    uint64_t totalInputBytes() const;
    uint64_t inputBytesRead() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace strata::cleaning
