"""The LoRA SFT reference of `scripts/bench models`: transformers + PEFT training the same adapters
on the same rows as `strata-cli train tests/bench/models/lora-sft.toml` (run with the pinned
pytools python; torch from STRATA_TORCH_SITE_PACKAGES when the environment has none).

  lora.py data --corpus bench-data/corpus.txt -o SFT_JSONL [--count 64]
      Conversations from the corpus: the user asks to continue the opening of a document, the
      assistant answers with the text that follows it.
  lora.py reference --model HF_DIR --inputs INPUTS --adapters LORA --threads N
      INPUTS is bench_sft_inputs' file (rows and the resolved config), LORA the lora.safetensors of
      a run with the same seed after one step at a learning rate of 1e-30 (the trainer refuses 0):
      its A are the run's initial A, and B starts at zero as Strata's does (core/model/lora.h). Loads HF_DIR in float32 with eager attention, wraps it with PEFT
      (the config's rank and alpha, every q/k/v/o and gate/up/down projection, no dropout), sets
      the adapters to LORA's, and trains with torch.optim.AdamW, the config's clipping and learning
      rate schedule, and the loss Strata's SFT takes: the cross-entropy of the trained targets,
      summed and divided by their count. Prints each step's loss and seconds as JSON.
  lora.py compare --events EVENTS_JSONL --reference REFERENCE_JSON
      Strata's run beside the reference: median step time after the first two steps, the ratio,
      and the largest loss difference at equal steps.
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
HERE = os.path.dirname(os.path.abspath(__file__))
WARMUP_STEPS = 2  # left out of the timing on both sides
# Strata's projection names in a block -> the Llama module PEFT adapts.
PROJECTIONS = {"attention__wq": "self_attn.q_proj", "attention__wk": "self_attn.k_proj",
               "attention__wv": "self_attn.v_proj", "attention__wo": "self_attn.o_proj",
               "ffn__gate": "mlp.gate_proj", "ffn__up": "mlp.up_proj", "ffn__down": "mlp.down_proj"}


def make_data(args):
    with open(args.corpus, encoding="utf-8") as f:
        documents = [d.strip() for d in f.read().split("\n\n")]
    with open(args.output, "w", encoding="utf-8") as out:
        made = 0
        for document in documents:
            if made == args.count:
                break
            words = document.split()
            if len(words) < 120:
                continue
            # Most are longer than the run's 128 tokens and are cut there (the trainer notes that
            # their end of turn is never trained): every row is full, the step's work is fixed.
            conversation = [
                {"role": "user", "content": "Continue this text:\n\n" + " ".join(words[:40])},
                {"role": "assistant", "content": " ".join(words[40:110])},
            ]
            out.write(json.dumps({"messages": conversation}, ensure_ascii=False) + "\n")
            made += 1


def reference(args):
    torch = import_torch()
    torch.set_num_threads(args.threads)
    import tomllib

    from peft import LoraConfig, get_peft_model
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM
    sys.path.insert(0, os.path.join(HERE, "..", "train"))
    from reference import learning_rate  # tests/bench/train/reference.py: Strata's schedules

    from safetensors import safe_open
    with safe_open(args.inputs, "pt") as f:
        config = tomllib.loads(f.metadata()["config"])
    rows = load_file(args.inputs)
    t, o, s, sft = config["train"], config["optim"], config["schedule"], config["sft"]

    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32,
                                                 attn_implementation="eager")
    model = get_peft_model(model, LoraConfig(
        r=sft["lora_rank"], lora_alpha=sft["lora_alpha"], lora_dropout=0.0, bias="none",
        target_modules=[name.split(".")[-1] for name in PROJECTIONS.values()]))
    adapters = load_file(args.adapters)
    modules = dict(model.named_modules())
    used = set()
    for layer in range(model.config.num_hidden_layers):
        for ours, theirs in PROJECTIONS.items():
            module = modules[f"base_model.model.model.layers.{layer}.{theirs}"]
            for part, target in (("a", module.lora_A["default"]), ("b", module.lora_B["default"])):
                name = next(n for n in adapters if n.endswith(f"block{layer}__{ours}.{part}"))
                value = adapters[name]
                if part == "b":
                    if value.abs().max() > 1e-20:
                        sys.exit(f"lora.py: {name} is not the zero a run starts from")
                    value = torch.zeros_like(value)
                with torch.no_grad():
                    target.weight.copy_(value)
                used.add(name)
    unused = [n for n in adapters if n not in used and not n.endswith("scale")]
    if unused:
        sys.exit(f"lora.py: adapters that fit no projection: {unused[:3]}")
    model.train()

    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=o["lr"], betas=(o["beta1"], o["beta2"]),
                                  eps=o["eps"], weight_decay=o["weight_decay"])
    micro, accum = t["micro_batch_size"], t["grad_accum_steps"]
    steps = rows["inputs"].shape[0] // (micro * accum)
    losses, seconds = [], []
    for step in range(steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        first = step * micro * accum
        weight = rows["weights"][first:first + micro * accum].sum()
        loss_value = 0.0
        for m in range(accum):
            part = slice(first + m * micro, first + (m + 1) * micro)
            logits = model(input_ids=rows["inputs"][part]).logits.float()
            ce = torch.nn.functional.cross_entropy(
                logits.flatten(0, 1), rows["targets"][part].flatten(), reduction="none")
            loss = (ce * rows["weights"][part].flatten()).sum() / weight
            loss.backward()
            loss_value += loss.item()
        clip = t["grad_clip"] if t["grad_clip"] > 0 else float("inf")
        torch.nn.utils.clip_grad_norm_(trained, clip)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(s, step, o["lr"], t["max_steps"])
        optimizer.step()
        seconds.append(time.perf_counter() - start)
        losses.append(loss_value)
    print(json.dumps({"losses": losses, "step_seconds": seconds,
                      "tokens_per_step": micro * accum * rows["inputs"].shape[1]}))


def compare(args):
    steps = []
    with open(args.events) as f:
        for line in f:
            event = json.loads(line)
            if event["type"] == "metrics" and "step_seconds" in event["data"]:
                steps.append(event["data"])
    with open(args.reference) as f:
        theirs = json.load(f)
    ours = [s["step_seconds"] for s in steps]
    median_ours = statistics.median(ours[WARMUP_STEPS:])
    median_theirs = statistics.median(theirs["step_seconds"][WARMUP_STEPS:])
    losses = [s["loss"] for s in steps]
    differences = [abs(a - b) for a, b in zip(losses, theirs["losses"])]
    print(json.dumps({
        "steps": len(steps),
        "tokens_per_step": theirs["tokens_per_step"],
        "strata_step_seconds": median_ours,
        "reference_step_seconds": median_theirs,
        "strata_tokens_per_second": theirs["tokens_per_step"] / median_ours,
        "reference_tokens_per_second": theirs["tokens_per_step"] / median_theirs,
        "ratio": median_theirs / median_ours,
        "losses": losses,
        "reference_losses": theirs["losses"],
        "max_loss_difference": max(differences),
    }, indent=2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data")
    data.add_argument("--corpus", required=True)
    data.add_argument("-o", "--output", required=True)
    data.add_argument("--count", type=int, default=64)
    ref = commands.add_parser("reference")
    ref.add_argument("--model", required=True)
    ref.add_argument("--inputs", required=True)
    ref.add_argument("--adapters", required=True)
    ref.add_argument("--threads", type=int, default=os.cpu_count())
    cmp = commands.add_parser("compare")
    cmp.add_argument("--events", required=True)
    cmp.add_argument("--reference", required=True)
    args = parser.parse_args()
    {"data": make_data, "reference": reference, "compare": compare}[args.command](args)


if __name__ == "__main__":
    main()
