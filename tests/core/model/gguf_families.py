"""The reference side of tst_gguf_model (run with the pinned pytools python).

  gguf_families.py build REFERENCE_DIR OUT
      Builds a tiny random model of every family Strata imports from GGUF with transformers
      (seeded, as hf_families.py does), with SmolLM2's real tokenizer and chat template, saves it
      as OUT/NAME/hf and has llama.cpp's own converter (REFERENCE_DIR/llama.cpp/convert) write it
      as OUT/NAME/model.gguf, in float32, or in Q8_0 where NAME ends in -q8_0. Writes
      OUT/NAME/expected.json: {"class", "ids", "logprobs"}, the float32 eager log-probabilities
      transformers gives: of the model it built, or for a Q8_0 file of the model it loads from
      that file (transformers' own GGUF reading).
  gguf_families.py score MODEL.gguf IDS_JSON OUT_JSON [MODEL.gguf IDS_JSON OUT_JSON ...]
      transformers reads each MODEL.gguf and writes {"class", "logprobs"} for the rows of its
      IDS_JSON.

Torch comes from STRATA_TORCH_SITE_PACKAGES when the environment lacks it (tests/reference_torch.py).
"""
import json
import os
import logging
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_families import logprobs_of, randomize  # noqa: E402
from reference_torch import import_torch  # noqa: E402  (hf_families puts tests/ on the path)

ROWS, TIME = 2, 24


def families(vocab_size):
    small = dict(vocab_size=vocab_size, hidden_size=64, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, intermediate_size=96,
                 max_position_embeddings=128)
    return {
        "llama": ("LlamaConfig", dict(small, rope_parameters={"rope_type": "default",
                                                              "rope_theta": 100000.0})),
        "llama-tied-q8_0": ("LlamaConfig", dict(small, tie_word_embeddings=True)),
        "qwen2": ("Qwen2Config", dict(small)),
        "qwen3": ("Qwen3Config", dict(small, head_dim=24)),
        "qwen3_moe": ("Qwen3MoeConfig", dict(small, num_experts=4, num_experts_per_tok=2,
                                             moe_intermediate_size=32, norm_topk_prob=True)),
        "mixtral": ("MixtralConfig", dict(small, num_local_experts=4, num_experts_per_tok=2,
                                          intermediate_size=48)),
        "deepseek_v3": ("DeepseekV3Config", dict(
            small, num_key_value_heads=4, q_lora_rank=32, kv_lora_rank=24, qk_nope_head_dim=16,
            qk_rope_head_dim=8, v_head_dim=12, n_routed_experts=4, n_shared_experts=1,
            num_experts_per_tok=2, n_group=2, topk_group=1, routed_scaling_factor=2.5,
            norm_topk_prob=True, first_k_dense_replace=1, moe_intermediate_size=32,
            # What DeepSeek-V3's own config.json says, and the converter reads.
            scoring_func="sigmoid", topk_method="noaux_tc")),
    }


def load_converter(reference):
    """llama.cpp's convert_hf_to_gguf as a module, with the gguf-py it was written with."""
    converter = os.path.join(reference, "llama.cpp", "convert")
    sys.path[:0] = [os.path.join(converter, "gguf-py"), converter]
    import convert_hf_to_gguf
    from conversion.base import TextModel

    # The converter knows a tokenizer by the hash of its pieces of a probe text, and transformers
    # 5 rebuilds a Qwen-family tokenizer's pre-tokenizer from its class, which changes that hash:
    # it is told instead that this is SmolLM2's tokenizer, which it is.
    TextModel.get_vocab_base_pre = lambda self, tokenizer: "smollm"
    return convert_hf_to_gguf


def convert(converter, folder, outtype):
    sys.argv = ["convert_hf_to_gguf.py", os.path.join(folder, "hf"), "--outfile",
                os.path.join(folder, "model.gguf"), "--outtype", outtype]
    converter.main()


def build(reference, out):
    torch = import_torch()
    logging.disable(logging.WARNING)
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(
        os.path.join(reference, "smollm2", "hf"))
    converter = load_converter(reference)
    for seed, (name, (config_class, keys)) in enumerate(families(len(tokenizer)).items()):
        config = getattr(transformers, config_class)(
            **keys, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)
        torch.manual_seed(seed)
        model = transformers.AutoModelForCausalLM.from_config(
            config, dtype=torch.float32, attn_implementation="eager")
        randomize(torch, model, seed)
        model.eval()
        folder = os.path.join(out, name)
        model.save_pretrained(os.path.join(folder, "hf"))
        tokenizer.save_pretrained(os.path.join(folder, "hf"))
        quantized = name.endswith("-q8_0")
        convert(converter, folder, "q8_0" if quantized else "f32")
        if quantized:
            model = transformers.AutoModelForCausalLM.from_pretrained(
                folder, gguf_file="model.gguf", dtype=torch.float32, attn_implementation="eager")
            model.eval()
        generator = torch.Generator().manual_seed(100 + seed)
        ids = torch.randint(0, len(tokenizer), (ROWS, TIME), generator=generator).tolist()
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
            json.dump({"class": type(model).__name__, "ids": ids,
                       "logprobs": logprobs_of(torch, model, ids)}, f)


def score(triples):
    """transformers reading each GGUF file (its own dequantization): log-probabilities of the
    rows of its IDS_JSON, into its OUT_JSON."""
    torch = import_torch()
    import transformers

    for gguf_path, ids_path, out in triples:
        folder, name = os.path.split(os.path.abspath(gguf_path))
        model = transformers.AutoModelForCausalLM.from_pretrained(
            folder, gguf_file=name, dtype=torch.float32, attn_implementation="eager")
        model.eval()
        with open(ids_path, encoding="utf-8") as f:
            ids = json.load(f)
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"class": type(model).__name__,
                       "logprobs": logprobs_of(torch, model, ids)}, f)


def main(argv):
    if len(argv) == 4 and argv[1] == "build":
        build(argv[2], argv[3])
    elif len(argv) >= 5 and argv[1] == "score" and len(argv) % 3 == 2:
        score(list(zip(argv[2::3], argv[3::3], argv[4::3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
