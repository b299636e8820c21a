// GGUF model files (core/gguf) to Strata model folders (model_folder.h). An import maps and
// validates the whole file, reads its metadata as the architecture (gguf_model_config.h) and its
// tokenizer (gguf_tokenizer.h) before any tensor is read, then brings every tensor to its Hugging
// Face name and layout, so the checks of a Hugging Face import apply (hf_tensors.h):
//   token_embd, output_norm, output            the embedding, final norm and head
//   blk.N.attn_q/k/v/output, attn_q/k_norm      attention (llama's q/k rows back in Strata's
//                                               rotary order: llama.cpp's converter interleaves
//                                               the two halves of every head)
//   blk.N.attn_q_a, attn_q_b, attn_kv_a_mqa,    DeepSeek's latent attention; attn_k_b and attn_v_b
//         attn_kv_b (or attn_k_b + attn_v_b)     (the absorbed form) are joined back into kv_b
//   blk.N.ffn_gate/up/down, ffn_*_exps,         feed-forward, experts (one 3-D tensor each),
//         ffn_*_shexp, ffn_gate_inp, exp_probs_b shared experts, router and its bias
// Quantized tensors are dequantized to float32, F16 and BF16 ones kept as they are. An export
// takes the same path back.
#pragma once

#include "core/gguf/gguf_file.h"
#include "core/model_spec/hf_config.h"

#include <filesystem>

namespace strata::model {

// Writes the GGUF file `ggufFile` as the model folder `modelFolder` (model.toml,
// model.safetensors, tokenizer.json, tokenizer_config.json with the chat template); returns the
// architecture it holds. Anything wrong is a common::Error naming the file and the key or tensor,
// and nothing is written.
model_spec::HfModelConfig importGguf(const std::filesystem::path& ggufFile,
                                     const std::filesystem::path& modelFolder);

// Writes the model folder `modelFolder` as the GGUF file `ggufFile`, its weight matrices as
// `type` (F32, F16, BF16 or Q8_0; norms, biases and routers stay F32, as llama.cpp's converter
// keeps them, and so does a matrix whose rows are not whole Q8_0 blocks), with its tokenizer and
// chat template. Returns the llama.cpp architecture written. A model llama.cpp cannot run as
// Strata computes it is a common::Error naming the reason, before anything is written.
// `tokens` are the special tokens llama.cpp gets roles for (the tokenizer's, as for a Hugging Face
// export).
std::string exportGguf(const std::filesystem::path& modelFolder,
                       const std::filesystem::path& ggufFile, gguf::GgmlType type,
                       const model_spec::HfSpecialTokens& tokens);

}  // namespace strata::model
