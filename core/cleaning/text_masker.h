// The masking stage: replaces URLs, e-mail addresses, phone numbers and IPv4 addresses with the
// placeholders <URL>, <EMAIL>, <PHONE> and <IP>, each kind behind its own toggle. One left-to-right
// scan with hand-written matchers (no regex engine): only a few trigger bytes ('@', ':', 'w',
// digits, '+', '(') start a match attempt, so plain prose is copied at memcpy speed.
//
// What counts as a match (kept narrow on purpose: a false mask loses text):
//   URL    http://, https://, ftp:// or www. up to white space or a quote/bracket, minus
//          trailing punctuation.
//   EMAIL  local@domain.tld with a dotted domain and a top-level label of 2+ letters.
//   PHONE  8 to 15 digits in groups joined by '-', '.', ' ' or parentheses, starting with '+',
//          '(' or a digit; space-only groups need a leading '+' or parentheses, so runs of years
//          ("1999 2000 2001") stay; a lone digit run is never a phone.
//   IP     dotted IPv4 quads, each part 0..255.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::cleaning {

struct MaskOptions {
    bool urls = true;
    bool emails = true;
    bool phones = true;
    bool ips = true;

    bool any() const { return urls || emails || phones || ips; }
    bool operator==(const MaskOptions&) const = default;
};

struct MaskCounts {
    uint64_t urls = 0;
    uint64_t emails = 0;
    uint64_t phones = 0;
    uint64_t ips = 0;
};

inline constexpr std::string_view kUrlPlaceholder = "<URL>";
inline constexpr std::string_view kEmailPlaceholder = "<EMAIL>";
inline constexpr std::string_view kPhonePlaceholder = "<PHONE>";
inline constexpr std::string_view kIpPlaceholder = "<IP>";

// Replaces `out` with `text` masked; returns what was masked.
MaskCounts maskText(std::string_view text, const MaskOptions& options, std::string& out);

}  // namespace strata::cleaning
