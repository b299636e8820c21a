// Character classes from utf8proc's general categories, with a one-time table for the BMP.
#include "core/tokenizer/char_class.h"

#include <utf8proc.h>

#include <array>

namespace strata::tokenizer {

namespace {

bool isWhiteSpace(char32_t cp) {
    // Unicode's White_Space property (PropList.txt).
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

CharClass computeClass(char32_t cp) {
    if (cp == '\r' || cp == '\n') return CharClass::Newline;
    if (isWhiteSpace(cp)) return CharClass::Whitespace;
    switch (utf8proc_category(utf8proc_int32_t(cp))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
            return CharClass::Letter;
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            return CharClass::Number;
        default:
            return CharClass::Other;
    }
}

struct BmpTable {
    std::array<CharClass, 0x10000> classes;
    BmpTable() {
        for (char32_t cp = 0; cp < 0x10000; ++cp)
            classes[cp] = computeClass(cp);
    }
};

}  // namespace

const std::array<CharClass, 128> kAsciiClass = [] {
    std::array<CharClass, 128> table{};
    for (int c = 0; c < 128; ++c) {
        if (c == '\r' || c == '\n') {
            table[c] = CharClass::Newline;
        } else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
            table[c] = CharClass::Whitespace;
        } else if (c >= '0' && c <= '9') {
            table[c] = CharClass::Number;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            table[c] = CharClass::Letter;
        } else {
            table[c] = CharClass::Other;
        }
    }
    return table;
}();

CharClass classifyCodePoint(char32_t cp) {
    static const BmpTable bmp;
    if (cp < 0x10000) return bmp.classes[cp];
    return computeClass(cp);
}

}  // namespace strata::tokenizer
