"""The reference for bench_generation: transformers' greedy generate on the same model and prompt
(run with the pinned pytools python; torch from STRATA_TORCH_SITE_PACKAGES when the environment
has none).

  generation.py --model HF_DIR --prompt TEXT [--new-tokens 128] [--threads N] [--repeats 3]
                [--ours BENCH_JSON]

Loads HF_DIR (the Hugging Face folder Strata imported) in float32 with eager attention, renders
the prompt as one user turn with apply_chat_template(add_generation_prompt=True), and times
generate(do_sample=False, repetition_penalty=1) of exactly --new-tokens tokens (no eos stop, as
bench_generation), once to warm up and then --repeats times, on --threads torch threads. With
--ours (bench_generation's JSON), checks that the prompt ids and the generated ids are equal and
adds the ratio of tokens a second (median runs). Prints one JSON object; exits non-zero when the
ids differ.
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
    parser.add_argument("--prompt", required=True)
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
    text = tokenizer.apply_chat_template([{"role": "user", "content": args.prompt}],
                                         tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    input_ids = torch.tensor([prompt_ids])
    options = dict(do_sample=False, repetition_penalty=1.0, max_new_tokens=args.new_tokens,
                   min_new_tokens=0, eos_token_id=None, pad_token_id=None,
                   attention_mask=torch.ones_like(input_ids))
    # No eos: exactly --new-tokens tokens, the same work as bench_generation.
    model.generation_config.eos_token_id = None

    def generate():
        with torch.no_grad():
            return model.generate(input_ids, **options)[0, len(prompt_ids):].tolist()

    generated = generate()  # warm-up
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        again = generate()
        seconds.append(time.perf_counter() - start)
        if again != generated:
            sys.exit("generation.py: greedy generation differed between runs")

    tokens = len(generated)
    result = {"threads": args.threads, "new_tokens": tokens, "prompt_tokens": len(prompt_ids),
              "transformers_seconds": seconds,
              "transformers_tokens_per_s": tokens / statistics.median(seconds)}
    if args.ours:
        with open(args.ours) as f:
            ours = json.load(f)
        result["strata_seconds"] = ours["seconds"]
        result["strata_tokens_per_s"] = len(ours["generated"]) / statistics.median(ours["seconds"])
        result["ratio"] = result["strata_tokens_per_s"] / result["transformers_tokens_per_s"]
        result["prompt_ids_equal"] = ours["prompt_ids"] == prompt_ids
        result["generated_ids_equal"] = ours["generated"] == generated
        if not result["generated_ids_equal"]:
            same = next((i for i, (a, b) in enumerate(zip(ours["generated"], generated)) if a != b),
                        min(len(generated), len(ours["generated"])))
            result["first_difference_at"] = same
    print(json.dumps(result, indent=2))
    if args.ours and not (result["prompt_ids_equal"] and result["generated_ids_equal"]):
        sys.exit("generation.py: Strata's ids differ from transformers'")


if __name__ == "__main__":
    main()
