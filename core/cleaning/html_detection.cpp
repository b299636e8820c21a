#include "core/cleaning/html_detection.h"

#include "core/common/ascii.h"

#include <algorithm>
#include <array>

namespace strata::cleaning {

namespace {

// Sorted for binary search: the elements real pages use most. A tag of another name ("<int>",
// "<T>", "<my-widget>") is not counted as markup.
constexpr std::string_view kElements[] = {
    "a",          "abbr",     "address",    "area",     "article", "aside",    "audio",  "b",
    "blockquote", "body",     "br",         "button",   "caption", "center",   "cite",   "code",
    "col",        "dd",       "del",        "details",  "div",     "dl",       "dt",     "em",
    "embed",      "fieldset", "figcaption", "figure",   "font",    "footer",   "form",   "h1",
    "h2",         "h3",       "h4",         "h5",       "h6",      "head",     "header", "hr",
    "html",       "i",        "iframe",     "img",      "input",   "ins",      "label",  "legend",
    "li",         "link",     "main",       "meta",     "nav",     "noscript", "ol",     "option",
    "p",          "pre",      "q",          "s",        "script",  "section",  "select", "small",
    "source",     "span",     "strong",     "style",    "sub",     "summary",  "sup",    "svg",
    "table",      "tbody",    "td",         "textarea", "tfoot",   "th",       "thead",  "time",
    "title",      "tr",       "u",          "ul",       "video",
};
static_assert(std::is_sorted(std::begin(kElements), std::end(kElements)));

// Elements that make a document markup as soon as one is opened and then closed.
constexpr std::string_view kPairedElements[] = {"html", "head", "body", "script", "style"};

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr int kMinTags = 3;
constexpr size_t kMinTagShareDivisor = 5;  // tags make at least a fifth of the bytes
constexpr size_t kMaxNameLength = 10;
constexpr size_t kMaxTagBytes = 4096;  // attributes included; a longer "tag" is prose

struct Tag {
    std::array<char, kMaxNameLength> name{};  // lower case
    size_t nameLength = 0;
    bool closing = false;
    size_t end = 0;  // after its '>'; 0 when t[at] starts no tag

    std::string_view nameView() const { return {name.data(), nameLength}; }
};

// The tag starting at t[at] ('<'): "<name", "</name", then '>' directly or after white space
// or '/' and attributes, with no other '<' before it.
Tag parseTag(std::string_view t, size_t at) {
    Tag tag;
    size_t i = at + 1;
    tag.closing = i < t.size() && t[i] == '/';
    if (tag.closing) ++i;
    if (i >= t.size() || !common::isAsciiAlpha(t[i])) return tag;
    while (i < t.size() && common::isAsciiAlnum(t[i])) {
        if (tag.nameLength == kMaxNameLength) return tag;
        tag.name[tag.nameLength++] = common::asciiLower(t[i++]);
    }
    if (i >= t.size() || !(t[i] == '>' || t[i] == '/' || common::isAsciiSpace(t[i]))) return tag;
    size_t limit = std::min(t.size(), at + kMaxTagBytes);
    for (; i < limit && t[i] != '<'; ++i) {
        if (t[i] == '>') {
            tag.end = i + 1;
            return tag;
        }
    }
    return tag;
}

bool isElement(std::string_view name) {
    return std::binary_search(std::begin(kElements), std::end(kElements), name);
}

}  // namespace

bool looksLikeHtml(std::string_view text) {
    // Markup from its first character: a text about HTML, with a page or a <script> as an example
    // further down, is prose, and converting would join its lines.
    size_t start = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
    while (start < text.size() && common::isAsciiSpace(text[start]))
        ++start;
    if (start >= text.size() || text[start] != '<') return false;

    std::array<bool, std::size(kPairedElements)> opened{};
    int tags = 0;
    int closingTags = 0;
    size_t tagBytes = 0;
    size_t at = start;
    while (at != std::string_view::npos) {
        if (common::matchesNoCaseAt(text, at, "<!doctype html")) return true;
        Tag tag = parseTag(text, at);
        if (tag.end == 0 || !isElement(tag.nameView())) {
            at = text.find('<', at + 1);
            continue;
        }
        auto paired =
            std::find(std::begin(kPairedElements), std::end(kPairedElements), tag.nameView());
        if (paired != std::end(kPairedElements)) {
            size_t index = size_t(paired - std::begin(kPairedElements));
            if (tag.closing && opened[index]) return true;
            if (!tag.closing) opened[index] = true;
        }
        ++tags;
        closingTags += tag.closing;
        tagBytes += tag.end - at;
        at = text.find('<', tag.end);
    }
    return tags >= kMinTags && closingTags >= 1 && tagBytes * kMinTagShareDivisor >= text.size();
}

}  // namespace strata::cleaning
