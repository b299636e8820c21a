// The general pre-tokenizer: any sequence of Split (regex or literal, every behavior, invert),
// Digits, ByteLevel (prefix space, GPT-2 regex) and Metaspace steps, as Hugging Face runs them.
// Pieces are owned strings because ByteLevel and Metaspace change the text. Strata's own layout
// (Isolated regex splits, then ByteLevel doing nothing but mapping bytes) takes the faster
// PreTokenizer (pre_tokenizer.h) instead; Tokenizer chooses.
#pragma once

#include "core/tokenizer/regex_splitter.h"
#include "core/tokenizer/tokenizer_data.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::tokenizer {

struct Piece {
    std::string text;
    bool atStart = false;  // begins where the whole input text begins (Metaspace's "first")
};

class PreTokenizerPipeline {
public:
    // Compiles the Split regexes; throws common::Error when one does not compile.
    explicit PreTokenizerPipeline(const std::vector<PreTokenizerStep>& steps);

    // Replaces `pieces` by the pieces of `text` (valid UTF-8) after every step.
    void split(std::string_view text, bool atStart, std::vector<Piece>& pieces) const;

private:
    struct Step {
        PreTokenizerStep spec;
        std::optional<RegexSplitter> regex;
    };
    void apply(const Step& step, const Piece& piece, std::vector<Piece>& out) const;

    std::vector<Step> m_steps;
};

}  // namespace strata::tokenizer
