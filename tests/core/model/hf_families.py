"""The transformers side of tst_hf_families (run with the pinned pytools python).

  hf_families.py build OUT
      Builds a tiny random model of every family Strata imports with transformers itself
      (seeded), saves each as OUT/NAME (config.json and safetensors, one of them sharded, one in
      bfloat16, one with the config.json of transformers 4.x), and writes OUT/NAME/expected.json:
      {"class": ..., "ids": [[...], ...], "logprobs": [[null, ...], ...]}, the float32 eager
      log-probability of every token given the ones before it.
  hf_families.py score IDS_JSON HF_DIR OUT_JSON [HF_DIR OUT_JSON ...]
      Loads each folder with AutoModelForCausalLM (float32, eager), fails on any missing,
      unexpected or mismatched tensor, and writes {"class": ..., "logprobs": [...]} for the rows of
      IDS_JSON (a list of equal-length lists).

Torch comes from STRATA_TORCH_SITE_PACKAGES when the environment lacks it (tests/reference_torch.py).
"""
import json
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from reference_torch import import_torch  # noqa: E402  (tests/reference_torch.py)

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROWS, TIME = 2, 40


def families():
    """name -> (config class name, config keys, save options)."""
    small = dict(vocab_size=320, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=96, max_position_embeddings=128)
    llama3_rope = {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                   "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 16}
    return {
        "llama": ("LlamaConfig", dict(small, num_key_value_heads=2, attention_bias=True,
                                      rope_parameters=llama3_rope), {}),
        # SmolLM2's shape: tied embeddings, three query heads per key/value head, and the
        # config.json a transformers 4.x checkpoint carries (rope_theta, rope_scaling).
        "llama-tied-v4": ("LlamaConfig", dict(small, num_attention_heads=6, hidden_size=96,
                                              num_key_value_heads=2, tie_word_embeddings=True,
                                              rope_parameters={"rope_type": "default",
                                                               "rope_theta": 100000.0}),
                          {"v4_config": True}),
        "mistral": ("MistralConfig", dict(small, num_key_value_heads=2, sliding_window=8), {}),
        "qwen2": ("Qwen2Config", dict(small, num_key_value_heads=2, rope_parameters={
            "rope_type": "default", "rope_theta": 1000000.0}), {"max_shard_size": "100KB"}),
        "qwen3": ("Qwen3Config", dict(small, num_key_value_heads=2, head_dim=24, rope_parameters={
            "rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
            "original_max_position_embeddings": 32}), {}),
        "qwen3_moe": ("Qwen3MoeConfig", dict(small, num_hidden_layers=3, num_key_value_heads=2,
                                             num_experts=8, num_experts_per_tok=2,
                                             moe_intermediate_size=32, norm_topk_prob=False,
                                             decoder_sparse_step=1, mlp_only_layers=[1]),
                      {"dtype": "bfloat16"}),
        "mixtral": ("MixtralConfig", dict(small, num_key_value_heads=2, num_local_experts=4,
                                          num_experts_per_tok=2, intermediate_size=48), {}),
        "deepseek_v3": ("DeepseekV3Config", dict(
            small, num_hidden_layers=3, num_key_value_heads=4, q_lora_rank=32, kv_lora_rank=24,
            qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=12, n_routed_experts=8,
            n_shared_experts=1, num_experts_per_tok=2, n_group=4, topk_group=2,
            routed_scaling_factor=2.5, norm_topk_prob=True, first_k_dense_replace=1,
            moe_intermediate_size=32, rope_interleave=True,
            rope_parameters={"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                             "original_max_position_embeddings": 32, "beta_fast": 32.0,
                             "beta_slow": 1.0, "mscale": 1.0, "mscale_all_dim": 1.0}), {}),
        "deepseek_v3-direct-q": ("DeepseekV3Config", dict(
            small, num_key_value_heads=4, q_lora_rank=None, kv_lora_rank=24,
            qk_nope_head_dim=16, qk_rope_head_dim=8, v_head_dim=12, n_routed_experts=4,
            n_shared_experts=2, num_experts_per_tok=2, n_group=1, topk_group=1,
            routed_scaling_factor=1.0, norm_topk_prob=False, first_k_dense_replace=0,
            moe_intermediate_size=32), {}),
    }


def randomize(torch, model, seed):
    """Weights of unit scale (transformers' 0.02 start makes every logit nearly 0 and a comparison
    at 1e-4 meaningless), norms away from 1, nonzero biases and a selection bias that changes
    choices."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, tensor in model.named_parameters():
            noise = torch.randn(tensor.shape, generator=generator)
            if "norm" in name:
                tensor.copy_(1 + 0.2 * noise)
            elif name.endswith(".bias"):
                tensor.copy_(0.5 * noise)
            else:
                tensor.copy_(noise / tensor.shape[-1] ** 0.5)
        for name, tensor in model.named_buffers():
            if name.endswith("e_score_correction_bias"):
                tensor.copy_(0.2 * torch.randn(tensor.shape, generator=generator))


def logprobs_of(torch, model, ids):
    with torch.no_grad():
        logits = model(input_ids=torch.tensor(ids)).logits.float()
    chosen = torch.log_softmax(logits[:, :-1], -1).gather(-1, torch.tensor(ids)[:, 1:, None])
    return [[None] + row for row in chosen.squeeze(-1).tolist()]


def to_v4_config(folder):
    """Rewrites config.json as transformers 4.x wrote it: rope_theta and rope_scaling."""
    path = os.path.join(folder, "config.json")
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    rope = config.pop("rope_parameters")
    config["rope_theta"] = rope.pop("rope_theta")
    config["rope_scaling"] = None if rope.get("rope_type") == "default" else rope
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)


def build(out):
    torch = import_torch()
    import transformers

    for seed, (name, (config_class, keys, options)) in enumerate(families().items()):
        config = getattr(transformers, config_class)(**keys)
        torch.manual_seed(seed)
        model = transformers.AutoModelForCausalLM.from_config(
            config, dtype=torch.float32, attn_implementation="eager")
        randomize(torch, model, seed)
        dtype = options.get("dtype")
        if dtype:
            # Parameters rounded once, so that the float32 reference computes with the saved
            # values (buffers such as the rotary frequencies stay float32, as loading makes them).
            with torch.no_grad():
                for parameter in model.parameters():
                    parameter.copy_(parameter.to(getattr(torch, dtype)))
        model.eval()
        generator = torch.Generator().manual_seed(100 + seed)
        ids = torch.randint(0, config.vocab_size, (ROWS, TIME), generator=generator).tolist()
        expected = {"class": type(model).__name__, "ids": ids,
                    "logprobs": logprobs_of(torch, model, ids)}
        folder = os.path.join(out, name)
        saved = model.to(getattr(torch, dtype)) if dtype else model
        saved.save_pretrained(folder, max_shard_size=options.get("max_shard_size", "5GB"))
        if options.get("v4_config"):
            to_v4_config(folder)
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(expected, f)


def score(ids_path, pairs):
    torch = import_torch()
    from transformers import AutoModelForCausalLM

    with open(ids_path, encoding="utf-8") as f:
        ids = json.load(f)
    for folder, out in pairs:
        model, info = AutoModelForCausalLM.from_pretrained(
            folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
        problems = {key: value for key, value in info.items() if value}
        if problems:
            sys.exit(f"hf_families.py: {folder} does not load cleanly: {problems}")
        model.eval()
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"class": type(model).__name__, "logprobs": logprobs_of(torch, model, ids)},
                      f)


def main(argv):
    if len(argv) == 3 and argv[1] == "build":
        build(argv[2])
    elif len(argv) >= 5 and argv[1] == "score" and len(argv) % 2 == 1:
        score(argv[2], list(zip(argv[3::2], argv[4::2])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
