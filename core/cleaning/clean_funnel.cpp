#include "core/cleaning/clean_funnel.h"

#include "core/common/json_writer.h"

#include <fmt/format.h>

namespace strata::cleaning {

namespace {

std::string megabytes(uint64_t bytes) {
    return fmt::format("{:.1f} MB", double(bytes) / 1e6);
}

double percent(uint64_t part, uint64_t whole) {
    return whole ? 100.0 * double(part) / double(whole) : 0.0;
}

}  // namespace

uint64_t CleanFunnel::removedTotal() const {
    uint64_t total = 0;
    for (uint64_t count : removedDocuments)
        total += count;
    return total;
}

std::string CleanFunnel::toJson() const {
    common::JsonWriter json;
    json.beginObject();
    json.key("input").beginObject();
    json.key("files").value(reader.files);
    json.key("bytes_read").value(reader.bytes);
    json.key("documents").value(documentsIn);
    json.key("bytes").value(bytesIn);
    json.key("invalid_utf8_repaired").value(reader.invalidUtf8);
    json.endObject();
    json.key("reader_skipped").beginObject();
    json.key("malformed_lines").value(reader.malformedLines);
    json.key("missing_field").value(reader.missingField);
    json.key("oversized").value(reader.oversized);
    json.endObject();
    json.key("removed").beginArray();
    for (size_t i = 1; i < kNumRejectReasons; ++i) {
        auto reason = RejectReason(i);
        json.beginObject();
        json.key("stage").value(rejectReasonStage(reason));
        json.key("reason").value(rejectReasonName(reason));
        json.key("documents").value(removedDocuments[i]);
        json.key("bytes").value(removedBytes[i]);
        json.endObject();
    }
    json.endArray();
    json.key("removed_total").value(removedTotal());
    json.key("output").beginObject();
    json.key("documents").value(documentsOut);
    json.key("bytes").value(bytesOut);
    json.endObject();
    json.key("html").beginObject();
    json.key("files").value(htmlFiles);
    json.key("detected").value(htmlDetected);
    json.endObject();
    json.key("terminal_escapes").beginObject();
    json.key("documents").value(escapeDocuments);
    json.key("sequences").value(escapeSequences);
    json.endObject();
    json.key("masked").beginObject();
    json.key("urls").value(masks.urls);
    json.key("emails").value(masks.emails);
    json.key("phones").value(masks.phones);
    json.key("ips").value(masks.ips);
    json.endObject();
    json.key("seconds").value(seconds);
    json.endObject();
    return json.take();
}

std::string CleanFunnel::summary() const {
    std::string text = fmt::format("in:  {} documents ({}) from {} files\n", documentsIn,
                                   megabytes(bytesIn), reader.files);
    if (reader.skipped() > 0 || reader.invalidUtf8 > 0)
        text += fmt::format(
            "     reader skipped {} malformed lines, {} without the text field, {} oversized; "
            "repaired invalid UTF-8 in {}\n",
            reader.malformedLines, reader.missingField, reader.oversized, reader.invalidUtf8);
    for (size_t i = 1; i < kNumRejectReasons; ++i) {
        if (removedDocuments[i] == 0) continue;
        text += fmt::format("  -  {:<40} {:>10} documents {:5.1f}%  {}\n",
                            rejectReasonName(RejectReason(i)), removedDocuments[i],
                            percent(removedDocuments[i], documentsIn), megabytes(removedBytes[i]));
    }
    text += fmt::format("out: {} documents ({:.1f}% kept, {}) in {:.1f} s\n", documentsOut,
                        percent(documentsOut, documentsIn), megabytes(bytesOut), seconds);
    if (htmlFiles > 0 || htmlDetected > 0)
        text += fmt::format(
            "     html: {} .html/.htm pages and {} documents detected as markup converted to "
            "text\n",
            htmlFiles, htmlDetected);
    if (escapeDocuments > 0)
        text += fmt::format("     terminal_escapes: {} sequences removed from {} documents\n",
                            escapeSequences, escapeDocuments);
    return text;
}

}  // namespace strata::cleaning
