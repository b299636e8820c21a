// Markup detection for documents that do not come from .html/.htm files: a JSONL field or a .txt
// file holding a raw web page. The html stage converts such a document like an HTML file when
// looksLikeHtml() says so ([html] detect). Converting drops whatever looks like a tag and joins
// lines, so the rule is conservative. The text must be markup from its start: its first
// character (after white space and a byte-order mark) is a '<'. Then it is markup when it has
//   - a <!doctype html> declaration, or an <html>, <head> or <body> element opened and closed;
//   - a <script> or <style> element, opened and closed;
//   - or tags of HTML elements (a list of the common ones) making at least a fifth of the bytes,
//     at least three of them and one a closing tag: navigation, tables, fragments of markup.
// A '<' that starts no such tag counts for nothing ("a < b > c", "<3", vector<int>, <user@host>).
// So prose stays text even when it mentions a tag or shows a page or a <script> as an example
// further down (documentation about HTML), and so do math and most code. What it misses: a
// fragment of long paragraphs with few tags (a forum post's <p>…</p>) keeps its tags, and prose
// with a stray <script> element keeps it.
#pragma once

#include <string_view>

namespace strata::cleaning {

bool looksLikeHtml(std::string_view text);

}  // namespace strata::cleaning
