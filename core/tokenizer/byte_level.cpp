// GPT-2's bytes_to_unicode table, built once.
#include "core/tokenizer/byte_level.h"

#include "core/common/utf8.h"

namespace strata::tokenizer {

namespace {

bool printable(int b) {
    return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
}

struct ByteLevelTables {
    std::array<uint8_t, 256> order{};
    std::array<char32_t, 256> codePoint{};   // byte -> code point
    std::array<int16_t, 256 + 68> byteOf{};  // code point -> byte, -1 outside the alphabet

    ByteLevelTables() {
        int next = 0;
        for (int b = 0; b < 256; ++b)
            if (printable(b)) {
                order[next++] = uint8_t(b);
                codePoint[b] = char32_t(b);
            }
        int extra = 0;
        for (int b = 0; b < 256; ++b)
            if (!printable(b)) {
                order[next++] = uint8_t(b);
                codePoint[b] = char32_t(256 + extra++);
            }
        byteOf.fill(-1);
        for (int b = 0; b < 256; ++b)
            byteOf[codePoint[b]] = int16_t(b);
    }
};

const ByteLevelTables& tables() {
    static const ByteLevelTables instance;
    return instance;
}

}  // namespace

const std::array<uint8_t, 256>& byteLevelOrder() {
    return tables().order;
}

void appendByteLevel(std::string& out, std::string_view bytes) {
    const auto& codePoint = tables().codePoint;
    for (char c : bytes)
        common::appendUtf8(out, codePoint[uint8_t(c)]);
}

bool parseByteLevel(std::string_view spelled, std::string& bytes) {
    bytes.clear();
    size_t pos = 0;
    while (pos < spelled.size()) {
        if (common::utf8SequenceLength(spelled, pos) == 0) return false;
        char32_t cp = common::decodeUtf8(spelled, pos);
        const auto& byteOf = tables().byteOf;
        if (cp >= byteOf.size() || byteOf[cp] < 0) return false;
        bytes.push_back(char(byteOf[cp]));
    }
    return true;
}

}  // namespace strata::tokenizer
