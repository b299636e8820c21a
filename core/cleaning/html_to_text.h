// The HTML stage: turns one page of markup into plain text for the other stages. It drops
// script, style, noscript, template and svg content and comments, keeps block structure as
// paragraph breaks (line breaks for br, li, tr), and decodes named and numeric entities. It is a
// tolerant scanner, not a DOM parser: broken markup degrades to text, never to an error.
#pragma once

#include <string>
#include <string_view>

namespace strata::cleaning {

// Replaces `out` with the visible text of `html`.
void htmlToText(std::string_view html, std::string& out);

// Decodes the entity starting at html[pos] ('&'); on success appends its text to `out` and
// returns its length, else returns 0 and appends nothing.
size_t decodeHtmlEntity(std::string_view html, size_t pos, std::string& out);

}  // namespace strata::cleaning
