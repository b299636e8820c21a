// The normalization stage: Unicode NFKC, removal of control and invisible format characters, and
// white-space normalization, in that order. The rules (the reference below spells them out):
//   - NFKC (utf8proc). Pure-ASCII text is already NFKC, so only non-ASCII stretches go through it.
//   - Control characters (Unicode Cc) go, except tab and line breaks; format characters (Cf: soft
//     hyphen, zero-width space, byte-order mark, bidi marks) go, except ZWJ and ZWNJ, which
//     emoji sequences and Persian need.
//   - White space: \r\n and \r, \v, \f, U+0085, U+2028 and U+2029 become \n; tabs and Unicode
//     spaces (Zs) become ' '; runs of spaces collapse to one; lines lose leading and trailing
//     spaces; at most one blank line separates paragraphs; the text loses leading and trailing
//     blank lines.
// normalizeText() is the fast path used by the pipeline; normalizeTextReference() is the plain
// multi-pass version the tests compare it with.
#pragma once

#include <string>
#include <string_view>

namespace strata::cleaning {

struct NormalizeOptions {
    bool nfkc = true;
    bool removeControl = true;
    bool whitespace = true;

    bool operator==(const NormalizeOptions&) const = default;
};

// Replaces `out` with the normalized `text`; `scratch` is reused between calls.
void normalizeText(std::string_view text, const NormalizeOptions& options, std::string& out,
                   std::string& scratch);

std::string normalizeTextReference(std::string_view text, const NormalizeOptions& options);

// Appends the NFKC form of `text` (valid UTF-8) to `out`, passing ASCII stretches through.
void appendNfkc(std::string_view text, std::string& out);

}  // namespace strata::cleaning
