// A GGUF's tokenizer (tokenizer.ggml.*) as the Hugging Face files of a model folder: the
// byte-level BPE vocabulary, merges and token types become tokenizer.json, with the pre-tokenizer
// llama.cpp runs for the file's tokenizer.ggml.pre (its regexes, in order); the special tokens,
// add_bos_token and tokenizer.chat_template become tokenizer_config.json. Tokens llama.cpp marks
// control become special added tokens and user-defined ones plain added tokens, matched whole
// in the text as llama.cpp matches them. Only byte-level BPE ("gpt2") is read: a SentencePiece
// or WordPiece vocabulary is an error naming the model type, and so is a pre-tokenizer type
// Strata does not know.
#pragma once

#include "core/gguf/gguf_file.h"
#include "core/gguf/gguf_writer.h"
#include "core/model_spec/hf_config.h"
#include "core/tokenizer/tokenizer_data.h"

#include <string>

namespace strata::gguf {

struct GgufTokenizerFiles {
    std::string tokenizerJson;
    std::string tokenizerConfigJson;
};

// Both files' text; the tokenizer is parsed once here, so what comes back loads.
GgufTokenizerFiles readGgufTokenizer(const GgufFile& file);

// The other way: a byte-level BPE tokenizer as tokenizer.ggml.* (the pre-tokenizer named by the
// llama.cpp type whose regexes it splits with; one llama.cpp does not know is a common::Error
// naming `source`), its special tokens' ids, and `chatTemplate` when not empty.
void addGgufTokenizerMetadata(GgufWriter& writer, const tokenizer::TokenizerData& data,
                              const model_spec::HfSpecialTokens& special,
                              std::string_view chatTemplate, const std::string& source);

}  // namespace strata::gguf
