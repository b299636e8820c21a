#include "core/cleaning/terminal_escapes.h"

namespace strata::cleaning {

namespace {

constexpr char kEscape = '\x1b';
constexpr char kBell = '\x07';

bool inRange(char c, unsigned char low, unsigned char high) {
    unsigned char u = static_cast<unsigned char>(c);
    return u >= low && u <= high;
}

// The introducers of the sequences that carry a string: OSC, DCS, SOS, PM, APC.
bool startsString(char c) {
    return c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_';
}

// The end of the string sequence whose content starts at `from`: after BEL or ESC \, else at
// the ESC that cuts it short, the line break or the end of the text.
size_t stringEnd(std::string_view t, size_t from) {
    for (size_t i = from; i < t.size(); ++i) {
        if (t[i] == kBell) return i + 1;
        if (t[i] == kEscape) return i + 1 < t.size() && t[i + 1] == '\\' ? i + 2 : i;
        if (t[i] == '\n' || t[i] == '\r') return i;
    }
    return t.size();
}

// The end of the sequence that the ESC at `escape` starts, or `escape` itself when it starts
// none (the ESC stays for the normalizer).
size_t sequenceEnd(std::string_view t, size_t escape) {
    size_t i = escape + 1;
    if (i >= t.size()) return escape;
    if (t[i] == '[') {
        ++i;
        while (i < t.size() && inRange(t[i], 0x20, 0x3F))
            ++i;
        return i < t.size() && inRange(t[i], 0x40, 0x7E) ? i + 1 : i;
    }
    if (startsString(t[i])) return stringEnd(t, i + 1);
    while (i < t.size() && inRange(t[i], 0x20, 0x2F))
        ++i;
    if (i < t.size() && inRange(t[i], 0x30, 0x7E)) return i + 1;
    return i > escape + 1 ? i : escape;
}

}  // namespace

size_t removeTerminalEscapes(std::string_view text, std::string& out) {
    out.clear();
    out.reserve(text.size());
    size_t removed = 0;
    size_t copied = 0;
    size_t escape = text.find(kEscape);
    while (escape != std::string_view::npos) {
        size_t end = sequenceEnd(text, escape);
        if (end == escape) {
            escape = text.find(kEscape, escape + 1);
            continue;
        }
        out.append(text.data() + copied, escape - copied);
        copied = end;
        ++removed;
        escape = text.find(kEscape, end);
    }
    out.append(text.data() + copied, text.size() - copied);
    return removed;
}

}  // namespace strata::cleaning
