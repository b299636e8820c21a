#include "core/cleaning/document_cleaner.h"

#include "core/cleaning/html_detection.h"
#include "core/cleaning/html_to_text.h"
#include "core/cleaning/quality_filters.h"
#include "core/cleaning/terminal_escapes.h"
#include "core/cleaning/text_masker.h"
#include "core/cleaning/text_normalizer.h"

namespace strata::cleaning {

DocumentCleaner::DocumentCleaner(const CleanConfig& config)
    : m_config(config), m_minHasher(config.nearDedup) {
    if (!config.blocklist.path.empty())
        m_blocklist = WordBlocklist::fromFile(config.blocklist.path);
    for (const std::string& name : config.script.allowed)
        if (auto script = scriptFromName(name)) m_allowedScripts[size_t(*script)] = true;
}

RejectReason DocumentCleaner::filter(const TextProfile& profile, Scratch& scratch) const {
    const CleanConfig& c = m_config;
    RejectReason reason = checkWordCount(profile, c.words);
    if (reason == RejectReason::Kept) reason = checkEntropy(profile, c.entropy);
    if (reason == RejectReason::Kept) reason = checkGopherQuality(profile, c.gopherQuality);
    if (reason == RejectReason::Kept) reason = scratch.repetition.check(profile, c.repetition);
    if (reason == RejectReason::Kept) reason = m_blocklist.check(profile, c.blocklist.minHits);
    if (reason == RejectReason::Kept && c.script.enabled)
        reason = checkScript(profile, m_allowedScripts, c.script.minShare);
    return reason;
}

void DocumentCleaner::clean(const Document& document, Scratch& scratch,
                            CleanedDocument& out) const {
    const CleanConfig& c = m_config;
    out.reason = RejectReason::Kept;
    out.html = HtmlConversion::None;
    out.escapesRemoved = 0;
    out.masks = {};
    std::string_view text = document.text;
    if (c.html.enabled) {
        if (document.format == DocumentFormat::Html) {
            out.html = HtmlConversion::File;
        } else if (c.html.detect && looksLikeHtml(text)) {
            out.html = HtmlConversion::Detected;
        }
    }
    if (out.html != HtmlConversion::None) {
        htmlToText(text, scratch.html);
        text = scratch.html;
    }
    // Before masking: a sequence glued to a URL hides the word boundary the masker looks for.
    if (c.terminalEscapes.enabled) {
        out.escapesRemoved = removeTerminalEscapes(text, scratch.unescaped);
        text = scratch.unescaped;
    }
    if (c.mask.any()) {
        out.masks = maskText(text, c.mask, scratch.masked);
        text = scratch.masked;
    }
    normalizeText(text, c.normalize, out.text, scratch.nfkc);
    if (out.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        out.reason = RejectReason::Empty;
        return;
    }
    scratch.profile.build(out.text);
    out.reason = filter(scratch.profile, scratch);
    if (out.reason != RejectReason::Kept) return;
    if (c.exactDedup.enabled) out.hash = hashText(out.text);
    if (c.nearDedup.enabled) {
        out.signature.resize(size_t(m_minHasher.numHashes()));
        m_minHasher.signature(scratch.profile, out.signature.data(), scratch.shingles);
    }
}

}  // namespace strata::cleaning
