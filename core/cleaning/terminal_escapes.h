// The terminal-escape stage: removes the ANSI/ECMA-48 escape sequences that text captured from
// a terminal carries (colours, cursor moves, window titles, hyperlinks), each one whole. It runs
// before masking and normalization: the normalizer drops only the ESC control character, which
// would leave the parameters ("[1;36m") behind as text, and a sequence glued to a URL
// ("\x1b[0;36mhttp://host") hides the word boundary the masker needs.
//
// What is removed, parsed as a terminal's state machine does:
//   CSI     ESC [, parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, a final byte 0x40-0x7E
//   string  ESC ] (OSC), ESC P (DCS), ESC X, ESC ^, ESC _, then anything up to BEL or the string
//           terminator ESC \; one left unterminated ends at the line break (which stays)
//   other   ESC, intermediate bytes 0x20-0x2F, a final byte 0x30-0x7E (ESC ( B, ESC 7, ESC =)
// A sequence cut short by a byte outside its grammar ends there: what was read of it goes, and
// that byte stays (an ESC starts the next sequence). Only sequences that start with the ESC
// character count: "[1]" or "[0;36m" without ESC are ordinary text. The 8-bit forms (U+009B CSI,
// U+009D OSC) are deliberately not parsed: in real corpora those code points are mostly
// mis-decoded Windows-1252 punctuation, and the normalizer removes them as control characters.
// A lone ESC that starts no sequence (before a line break or at the end) is left to the
// normalizer. Input is valid UTF-8 and so is the output: only ASCII bytes and whole string
// sequences are removed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::cleaning {

// Replaces `out` with `text` without its escape sequences; returns how many were removed.
size_t removeTerminalEscapes(std::string_view text, std::string& out);

}  // namespace strata::cleaning
