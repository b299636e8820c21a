#include "core/cleaning/html_to_text.h"

#include "core/common/ascii.h"
#include "core/common/utf8.h"

#include <algorithm>
#include <cstring>

namespace strata::cleaning {

namespace {

struct NamedEntity {
    std::string_view name;
    char32_t codePoint;
};

// Sorted by name for binary search: the entities real pages use, not the full HTML5 table.
constexpr NamedEntity kEntities[] = {
    {"AElig", 0xC6},    {"Aacute", 0xC1},  {"Agrave", 0xC0},  {"Auml", 0xC4},     {"Ccedil", 0xC7},
    {"Eacute", 0xC9},   {"Egrave", 0xC8},  {"Ntilde", 0xD1},  {"Oacute", 0xD3},   {"Ouml", 0xD6},
    {"Uacute", 0xDA},   {"Uuml", 0xDC},    {"aacute", 0xE1},  {"acirc", 0xE2},    {"aelig", 0xE6},
    {"agrave", 0xE0},   {"amp", '&'},      {"apos", '\''},    {"aring", 0xE5},    {"atilde", 0xE3},
    {"auml", 0xE4},     {"bull", 0x2022},  {"ccedil", 0xE7},  {"cent", 0xA2},     {"copy", 0xA9},
    {"deg", 0xB0},      {"divide", 0xF7},  {"eacute", 0xE9},  {"ecirc", 0xEA},    {"egrave", 0xE8},
    {"euml", 0xEB},     {"euro", 0x20AC},  {"gt", '>'},       {"hellip", 0x2026}, {"iacute", 0xED},
    {"icirc", 0xEE},    {"iexcl", 0xA1},   {"iquest", 0xBF},  {"iuml", 0xEF},     {"laquo", 0xAB},
    {"ldquo", 0x201C},  {"lsquo", 0x2018}, {"lt", '<'},       {"mdash", 0x2014},  {"middot", 0xB7},
    {"nbsp", 0xA0},     {"ndash", 0x2013}, {"ntilde", 0xF1},  {"oacute", 0xF3},   {"ocirc", 0xF4},
    {"ograve", 0xF2},   {"oslash", 0xF8},  {"otilde", 0xF5},  {"ouml", 0xF6},     {"para", 0xB6},
    {"plusmn", 0xB1},   {"pound", 0xA3},   {"quot", '"'},     {"raquo", 0xBB},    {"rdquo", 0x201D},
    {"reg", 0xAE},      {"rsquo", 0x2019}, {"sect", 0xA7},    {"shy", 0xAD},      {"szlig", 0xDF},
    {"thinsp", 0x2009}, {"times", 0xD7},   {"trade", 0x2122}, {"uacute", 0xFA},   {"ucirc", 0xFB},
    {"ugrave", 0xF9},   {"uuml", 0xFC},    {"yen", 0xA5},     {"yuml", 0xFF},
};

static_assert(std::is_sorted(std::begin(kEntities), std::end(kEntities),
                             [](const NamedEntity& a, const NamedEntity& b) {
                                 return a.name < b.name;
                             }));

// Elements whose content is never visible text.
constexpr std::string_view kHiddenElements[] = {"script", "style", "noscript", "template", "svg"};
// Elements that end a line rather than a paragraph.
constexpr std::string_view kLineElements[] = {"br", "li", "tr", "dt", "dd", "option"};
constexpr std::string_view kBlockElements[] = {
    "address",    "article", "aside",  "blockquote", "body",  "caption", "div", "dl", "fieldset",
    "figcaption", "figure",  "footer", "form",       "h1",    "h2",      "h3",  "h4", "h5",
    "h6",         "header",  "hr",     "html",       "main",  "nav",     "ol",  "p",  "pre",
    "section",    "table",   "tbody",  "thead",      "title", "ul"};

template <size_t N>
bool isOneOf(std::string_view name, const std::string_view (&names)[N]) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// Finds `needle` (a tag, lower case, starting with '<') case-insensitively from pos; npos if
// absent.
size_t findNoCase(std::string_view hay, std::string_view needle, size_t pos) {
    for (size_t at = hay.find('<', pos); at != std::string_view::npos; at = hay.find('<', at + 1))
        if (common::matchesNoCaseAt(hay, at, needle)) return at;
    return std::string_view::npos;
}

// Text is emitted through this: runs of white space collapse to one space (except in <pre>),
// and pending breaks become at most two newlines before the next visible text.
class TextSink {
public:
    explicit TextSink(std::string& out) : m_out(out) {}

    void text(std::string_view chunk, bool preformatted) {
        for (char c : chunk) {
            if (common::isAsciiSpace(c) && !preformatted) {
                m_space = true;
                continue;
            }
            if (preformatted && c == '\n') {
                m_out.push_back('\n');
                m_space = false;
                continue;
            }
            flushPending();
            m_out.push_back(c);
        }
    }
    void codePoint(char32_t cp) {
        flushPending();
        common::appendUtf8(m_out, cp);
    }
    void entityText(std::string_view decoded) {
        flushPending();
        m_out += decoded;
    }
    void lineBreak(int newlines) {
        m_breaks = std::max(m_breaks, newlines);
        m_space = false;
    }

private:
    void flushPending() {
        if (m_breaks > 0) {
            if (!m_out.empty()) m_out.append(size_t(m_breaks), '\n');
        } else if (m_space && !m_out.empty() && m_out.back() != '\n') {
            m_out.push_back(' ');
        }
        m_breaks = 0;
        m_space = false;
    }

    std::string& m_out;
    int m_breaks = 0;
    bool m_space = false;
};

}  // namespace

size_t decodeHtmlEntity(std::string_view html, size_t pos, std::string& out) {
    size_t i = pos + 1;
    if (i < html.size() && html[i] == '#') {
        ++i;
        bool hex = i < html.size() && (html[i] == 'x' || html[i] == 'X');
        if (hex) ++i;
        size_t digitsStart = i;
        uint32_t value = 0;
        while (i < html.size() && i - digitsStart < 8) {
            char c = html[i];
            int digit = c >= '0' && c <= '9'          ? c - '0'
                        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                      : -1;
            if (digit < 0) break;
            value = value * (hex ? 16 : 10) + uint32_t(digit);
            ++i;
        }
        if (i == digitsStart) return 0;
        if (i < html.size() && html[i] == ';') ++i;
        bool valid = value > 0 && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
        common::appendUtf8(out, valid ? char32_t(value) : char32_t(0xFFFD));
        return i - pos;
    }
    size_t nameStart = i;
    while (i < html.size() && i - nameStart < 10 && common::isAsciiAlnum(html[i]))
        ++i;
    if (i >= html.size() || html[i] != ';') return 0;
    std::string_view name = html.substr(nameStart, i - nameStart);
    auto it = std::lower_bound(std::begin(kEntities), std::end(kEntities), name,
                               [](const NamedEntity& e, std::string_view n) { return e.name < n; });
    if (it == std::end(kEntities) || it->name != name) return 0;
    common::appendUtf8(out, it->codePoint);
    return i + 1 - pos;
}

void htmlToText(std::string_view html, std::string& out) {
    out.clear();
    out.reserve(html.size() / 2);
    TextSink sink(out);
    std::string entity;
    std::string name;
    int preDepth = 0;
    size_t pos = 0;
    while (pos < html.size()) {
        size_t next = html.find_first_of("<&", pos);
        if (next == std::string_view::npos) next = html.size();
        sink.text(html.substr(pos, next - pos), preDepth > 0);
        pos = next;
        if (pos >= html.size()) break;

        if (html[pos] == '&') {
            entity.clear();
            size_t length = decodeHtmlEntity(html, pos, entity);
            if (length == 0) {
                sink.text("&", preDepth > 0);
                ++pos;
            } else {
                sink.entityText(entity);
                pos += length;
            }
            continue;
        }

        // A '<': a comment, a declaration, a tag, or just a less-than sign in text.
        if (html.compare(pos, 4, "<!--") == 0) {
            size_t close = html.find("-->", pos + 4);
            pos = close == std::string_view::npos ? html.size() : close + 3;
            continue;
        }
        size_t i = pos + 1;
        bool closing = i < html.size() && html[i] == '/';
        if (closing) ++i;
        if (i < html.size() && (html[i] == '!' || html[i] == '?')) {
            size_t close = html.find('>', i);
            pos = close == std::string_view::npos ? html.size() : close + 1;
            continue;
        }
        name.clear();
        while (i < html.size() && (common::isAsciiAlnum(html[i]) || html[i] == '-'))
            name.push_back(common::asciiLower(html[i++]));
        if (name.empty()) {
            sink.text("<", preDepth > 0);
            ++pos;
            continue;
        }
        // Skip attributes up to the '>' that is not inside quotes.
        char quote = 0;
        while (i < html.size() && (quote || html[i] != '>')) {
            if (quote && html[i] == quote) {
                quote = 0;
            } else if (!quote && (html[i] == '"' || html[i] == '\'')) {
                quote = html[i];
            }
            ++i;
        }
        bool selfClosing = i > 0 && i < html.size() && html[i - 1] == '/';
        pos = i < html.size() ? i + 1 : html.size();

        if (!closing && !selfClosing && isOneOf(name, kHiddenElements)) {
            size_t close = findNoCase(html, "</" + name, pos);
            if (close == std::string_view::npos) break;
            size_t end = html.find('>', close);
            pos = end == std::string_view::npos ? html.size() : end + 1;
            continue;
        }
        if (name == "pre") preDepth = std::max(0, preDepth + (closing ? -1 : 1));
        if (isOneOf(name, kLineElements)) {
            sink.lineBreak(1);
        } else if (isOneOf(name, kBlockElements)) {
            sink.lineBreak(2);
        } else if (name == "td" || name == "th") {
            sink.text(" ", false);
        }
    }
}

}  // namespace strata::cleaning
