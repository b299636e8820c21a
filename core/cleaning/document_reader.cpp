#include "core/cleaning/document_reader.h"

#include "core/cleaning/byte_source.h"
#include "core/common/error.h"
#include "core/common/utf8.h"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

namespace strata::cleaning {

namespace fs = std::filesystem;
using common::fail;

namespace {

enum class InputKind { Unsupported, Jsonl, Text, Html };

constexpr size_t kChunkBytes = 1 << 20;      // JSONL read size
constexpr size_t kFileChunkBytes = 1 << 16;  // whole-file documents grow by this much

bool endsWith(const std::string& name, std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

InputKind kindOf(const fs::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (endsWith(name, ".jsonl") || endsWith(name, ".jsonl.zst")) return InputKind::Jsonl;
    if (endsWith(name, ".txt")) return InputKind::Text;
    if (endsWith(name, ".html") || endsWith(name, ".htm")) return InputKind::Html;
    return InputKind::Unsupported;
}

bool isBlank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

}  // namespace

struct DocumentReader::Impl {
    std::vector<fs::path> files;
    ReaderOptions options;
    ReaderStats stats;
    uint64_t totalBytes = 0;
    uint64_t finishedFileBytes = 0;  // read from the files before the current one
    int warnings = 0;

    size_t fileIndex = 0;
    std::unique_ptr<ByteSource> source;
    InputKind kind = InputKind::Unsupported;
    std::string sourceName;
    uint64_t lineNumber = 0;

    // Unconsumed bytes are buffer[begin, end); SIMDJSON_PADDING readable bytes always follow end.
    std::vector<char> buffer;
    size_t begin = 0;
    size_t end = 0;
    bool sourceEnd = false;
    std::string pieceCarry;  // textPieceBytes mode: bytes read past the last piece
    simdjson::dom::parser parser;

    void warn(const std::string& message) {
        ++warnings;
        if (warnings > options.maxWarnings) return;
        std::string line = warnings == options.maxWarnings
                               ? message + " (further reader warnings are only counted)"
                               : message;
        if (options.onWarning) {
            options.onWarning(line);
        } else {
            spdlog::warn("{}", line);
        }
    }

    // Counts a skipped line or file, or throws when strict.
    void skip(uint64_t& counter, uint64_t line, const std::string& reason) {
        std::string where = line ? fmt::format("{}:{}", sourceName, line) : sourceName;
        if (options.strict) fail("{}: {}", where, reason);
        ++counter;
        warn(fmt::format("{}: {} (skipped)", where, reason));
    }

    void open(const fs::path& path) {
        source = std::make_unique<ByteSource>(path);
        kind = kindOf(path);
        sourceName = path.string();
        lineNumber = 0;
        begin = end = 0;
        sourceEnd = false;
        ++stats.files;
    }

    void close() {
        finishedFileBytes += source->fileBytesRead();
        source.reset();
    }

    // Appends up to one chunk after `end`, growing the buffer; false at the end of the source.
    bool fill() {
        if (sourceEnd) return false;
        if (begin > 0) {
            std::memmove(buffer.data(), buffer.data() + begin, end - begin);
            end -= begin;
            begin = 0;
        }
        if (buffer.size() < end + kChunkBytes + simdjson::SIMDJSON_PADDING)
            buffer.resize(
                std::max(buffer.size() * 2, end + kChunkBytes + simdjson::SIMDJSON_PADDING));
        size_t got = source->read(buffer.data() + end, kChunkBytes);
        stats.bytes += got;
        end += got;
        sourceEnd = got == 0;
        return got > 0;
    }

    // Drops bytes up to and including the next newline, reading as needed; holds one chunk.
    void discardLine() {
        for (;;) {
            const char* newline =
                static_cast<const char*>(std::memchr(buffer.data() + begin, '\n', end - begin));
            if (newline) {
                begin = size_t(newline - buffer.data()) + 1;
                return;
            }
            begin = end = 0;
            if (!fill()) return;
        }
    }

    // The next line without its newline; false at the end. Lines longer than the document limit
    // are counted and skipped without being held.
    bool nextLine(std::string_view& line) {
        size_t scanned = begin;
        for (;;) {
            const char* newline =
                static_cast<const char*>(std::memchr(buffer.data() + scanned, '\n', end - scanned));
            if (newline) {
                size_t at = size_t(newline - buffer.data());
                ++lineNumber;
                if (at - begin > options.maxDocumentBytes) {
                    skip(stats.oversized, lineNumber, tooLong());
                    begin = at + 1;
                    scanned = begin;
                    continue;
                }
                line = std::string_view(buffer.data() + begin, at - begin);
                begin = at + 1;
                return true;
            }
            if (end - begin > options.maxDocumentBytes) {
                ++lineNumber;
                skip(stats.oversized, lineNumber, tooLong());
                discardLine();
                scanned = begin;
                continue;
            }
            size_t pending = end - begin;
            if (!fill()) {
                if (pending == 0) return false;
                ++lineNumber;  // a last line without a newline
                line = std::string_view(buffer.data() + begin, pending);
                begin = end;
                return true;
            }
            scanned = begin + pending;
        }
    }

    std::string tooLong() const {
        return fmt::format("longer than the document limit of {} bytes", options.maxDocumentBytes);
    }

    // Parses one JSONL line into doc; false when the line was skipped.
    bool parseLine(std::string_view line, Document& doc) {
        simdjson::dom::element element;
        auto error = parser.parse(line.data(), line.size(), false).get(element);
        bool repaired = false;
        std::string fixed;
        if (error == simdjson::UTF8_ERROR) {
            fixed = common::replaceInvalidUtf8(line);
            error = parser.parse(fixed).get(element);
            repaired = true;
        }
        if (error) {
            skip(stats.malformedLines, lineNumber,
                 fmt::format("malformed JSON: {}", simdjson::error_message(error)));
            return false;
        }
        simdjson::dom::object object;
        if (element.get(object)) {
            skip(stats.malformedLines, lineNumber, "not a JSON object");
            return false;
        }
        std::string_view text;
        if (object.at_key(options.textField).get(text)) {
            skip(stats.missingField, lineNumber,
                 fmt::format("no string field '{}'", options.textField));
            return false;
        }
        if (repaired) {
            ++stats.invalidUtf8;
            warn(fmt::format("{}:{}: invalid UTF-8 replaced by U+FFFD", sourceName, lineNumber));
        }
        doc.text.assign(text);
        doc.format = DocumentFormat::Text;
        doc.line = lineNumber;
        return true;
    }

    // Reads the whole current file as one document; false when it was skipped as too long.
    // The next piece of a .txt file in textPieceBytes mode; false when the file is used up.
    bool readTextPiece(Document& doc) {
        doc.text.swap(pieceCarry);
        pieceCarry.clear();
        bool firstPiece = source->fileBytesRead() == 0;
        // Read past the limit (or to the end) so the cut can be chosen.
        while (!sourceEnd && doc.text.size() <= options.textPieceBytes) {
            size_t old = doc.text.size();
            doc.text.resize(old + kFileChunkBytes);
            size_t got = source->read(doc.text.data() + old, kFileChunkBytes);
            stats.bytes += got;
            doc.text.resize(old + got);
            sourceEnd = got == 0;
        }
        if (doc.text.empty()) return false;
        if (doc.text.size() > options.textPieceBytes) {
            std::string_view window = std::string_view(doc.text).substr(0, options.textPieceBytes);
            size_t cut = window.rfind('\n');
            if (cut != std::string_view::npos) {
                cut += 1;
            } else {
                // One long line: cut at the limit, but not inside a UTF-8 sequence.
                cut = window.size();
                while (cut > 0 && (static_cast<unsigned char>(doc.text[cut]) & 0xC0) == 0x80)
                    --cut;
                if (cut == 0) cut = window.size();
            }
            pieceCarry.assign(doc.text, cut);
            doc.text.resize(cut);
        }
        if (firstPiece && doc.text.compare(0, 3, "\xEF\xBB\xBF") == 0) doc.text.erase(0, 3);
        repairUtf8(doc);
        doc.format = DocumentFormat::Text;
        doc.line = 0;
        return true;
    }

    void repairUtf8(Document& doc) {
        if (common::findInvalidUtf8(doc.text) == std::string::npos) return;
        doc.text = common::replaceInvalidUtf8(doc.text);
        ++stats.invalidUtf8;
        warn(fmt::format("{}: invalid UTF-8 replaced by U+FFFD", sourceName));
    }

    bool readWholeFile(Document& doc) {
        doc.text.clear();
        for (;;) {
            size_t old = doc.text.size();
            doc.text.resize(old + kFileChunkBytes);
            size_t got = source->read(doc.text.data() + old, kFileChunkBytes);
            stats.bytes += got;
            doc.text.resize(old + got);
            if (got == 0) break;
            if (doc.text.size() > options.maxDocumentBytes) {
                skip(stats.oversized, 0, tooLong());
                char scratch[1 << 16];
                while (size_t more = source->read(scratch, sizeof scratch))
                    stats.bytes += more;
                doc.text.clear();
                doc.text.shrink_to_fit();
                return false;
            }
        }
        if (doc.text.compare(0, 3, "\xEF\xBB\xBF") == 0) doc.text.erase(0, 3);
        repairUtf8(doc);
        doc.format = kind == InputKind::Html ? DocumentFormat::Html : DocumentFormat::Text;
        doc.line = 0;
        return true;
    }
};

DocumentReader::DocumentReader(std::vector<fs::path> inputs, ReaderOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    if (m_impl->options.maxDocumentBytes == 0) fail("the document size limit must be positive");
    for (const fs::path& input : inputs) {
        std::error_code error;
        if (fs::is_directory(input, error)) {
            std::vector<fs::path> found;
            for (auto it = fs::recursive_directory_iterator(input, error);
                 !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
                if (it->is_regular_file(error) && kindOf(it->path()) != InputKind::Unsupported &&
                    it->path().filename().string().front() != '.')
                    found.push_back(it->path());
            }
            if (error) fail("{}: cannot list folder: {}", input.string(), error.message());
            std::sort(found.begin(), found.end());
            m_impl->files.insert(m_impl->files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(input, error)) {
            if (kindOf(input) == InputKind::Unsupported)
                fail(
                    "{}: unsupported input type (expected .txt, .jsonl, .jsonl.zst, .html or .htm)",
                    input.string());
            m_impl->files.push_back(input);
        } else {
            fail("{}: no such file or folder", input.string());
        }
    }
    for (const fs::path& file : m_impl->files) {
        std::error_code error;
        m_impl->totalBytes += fs::file_size(file, error);
    }
}

DocumentReader::~DocumentReader() = default;

bool DocumentReader::next(Document& doc) {
    Impl& impl = *m_impl;
    for (;;) {
        if (!impl.source) {
            if (impl.fileIndex == impl.files.size()) return false;
            impl.open(impl.files[impl.fileIndex++]);
        }
        if (impl.kind == InputKind::Jsonl) {
            std::string_view line;
            while (impl.nextLine(line)) {
                if (isBlank(line)) continue;
                if (impl.parseLine(line, doc)) {
                    doc.source = impl.sourceName;
                    ++impl.stats.documents;
                    return true;
                }
            }
            impl.close();
            continue;
        }
        if (impl.kind == InputKind::Text && impl.options.textPieceBytes > 0) {
            if (impl.readTextPiece(doc)) {
                doc.source = impl.sourceName;
                ++impl.stats.documents;
                return true;
            }
            impl.close();
            continue;
        }
        bool read = impl.readWholeFile(doc);
        impl.close();
        if (read) {
            doc.source = impl.sourceName;
            ++impl.stats.documents;
            return true;
        }
    }
}

const ReaderStats& DocumentReader::stats() const {
    return m_impl->stats;
}

uint64_t DocumentReader::totalInputBytes() const {
    return m_impl->totalBytes;
}

uint64_t DocumentReader::inputBytesRead() const {
    return m_impl->finishedFileBytes + (m_impl->source ? m_impl->source->fileBytesRead() : 0);
}

}  // namespace strata::cleaning
