"""The reference for bench_generation: transformers' greedy generate on the same model and prompts
(run with the pinned pytools python; torch from STRATA_TORCH_SITE_PACKAGES when the environment
has none).

  generation.py --model HF_DIR --prompt TEXT [--prompt TEXT ...] [--new-tokens 128]
                [--threads N] [--repeats 3] [--ours BENCH_JSON]

Loads HF_DIR (the Hugging Face folder Strata imported) in float32 with eager attention, renders
each prompt as one user turn with apply_chat_template(add_generation_prompt=True), and times
generate(do_sample=False, repetition_penalty=1) of exactly --new-tokens tokens a prompt (no eos
stop, as bench_generation); several prompts decode as one left-padded batch with its attention
mask. Once to warm up, then --repeats times, on --threads torch threads. With --ours
(bench_generation's JSON), checks that the prompt ids and the generated ids are equal and adds
the ratio of tokens a second (median runs). Prints one JSON object. A single prompt must give
the same ids (exit non-zero otherwise); in a padded batch the two sides round differently, so
rows whose greedy choice flips at a near tie are counted and reported, not fatal.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from reference_torch import import_torch  # noqa: E402  (tests/reference_torch.py)

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompt", required=True, action="append")
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ours")
    args = parser.parse_args()

    torch = import_torch()
    torch.set_num_threads(args.threads)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32,
                                                 attn_implementation="eager").eval()
    prompt_ids = []
    for prompt in args.prompt:
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                             tokenize=False, add_generation_prompt=True)
        prompt_ids.append(tokenizer(text, add_special_tokens=False)["input_ids"])
    width = max(len(ids) for ids in prompt_ids)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    input_ids = torch.tensor([[pad] * (width - len(ids)) + ids for ids in prompt_ids])
    attention_mask = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in prompt_ids])
    options = dict(do_sample=False, repetition_penalty=1.0, max_new_tokens=args.new_tokens,
                   min_new_tokens=0, eos_token_id=None, pad_token_id=pad,
                   attention_mask=attention_mask)
    # No eos: exactly --new-tokens tokens, the same work as bench_generation.
    model.generation_config.eos_token_id = None

    def generate():
        with torch.no_grad():
            return model.generate(input_ids, **options)[:, width:].tolist()

    generated = generate()  # warm-up
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        again = generate()
        seconds.append(time.perf_counter() - start)
        if again != generated:
            sys.exit("generation.py: greedy generation differed between runs")

    tokens = sum(len(row) for row in generated)
    result = {"threads": args.threads, "prompts": len(prompt_ids), "new_tokens": tokens,
              "prompt_tokens": [len(ids) for ids in prompt_ids],
              "transformers_seconds": seconds,
              "transformers_tokens_per_s": tokens / statistics.median(seconds)}
    if args.ours:
        with open(args.ours) as f:
            ours = json.load(f)
        ours_tokens = sum(len(row) for row in ours["generated"])
        result["strata_seconds"] = ours["seconds"]
        result["strata_tokens_per_s"] = ours_tokens / statistics.median(ours["seconds"])
        result["ratio"] = result["strata_tokens_per_s"] / result["transformers_tokens_per_s"]
        result["prompt_ids_equal"] = ours["prompt_ids"] == prompt_ids
        result["rows_with_equal_ids"] = sum(a == b for a, b in zip(ours["generated"], generated))
        result["first_difference_at"] = [
            next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), None)
            for mine, theirs in zip(ours["generated"], generated)]
    print(json.dumps(result, indent=2))
    if args.ours and not result["prompt_ids_equal"]:
        sys.exit("generation.py: Strata's prompt ids differ from transformers'")
    if args.ours and len(prompt_ids) == 1 and result["rows_with_equal_ids"] != 1:
        sys.exit("generation.py: Strata's generated ids differ from transformers'")


if __name__ == "__main__":
    main()
