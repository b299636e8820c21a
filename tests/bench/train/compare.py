"""Puts a `strata-cli train` run (its events.jsonl) beside reference.py's output for the same
weights and batches: the median step throughput of each, their ratio, and how far the losses of
equal steps are apart."""

import argparse
import json


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--events", required=True, help="the Strata run's events.jsonl")
    parser.add_argument("--reference", required=True, help="reference.py's JSON output")
    parser.add_argument("--warmup", type=int, default=2, help="steps left out of the timing")
    args = parser.parse_args()

    steps = []
    with open(args.events) as f:
        for line in f:
            event = json.loads(line)
            if event["type"] == "metrics":
                steps.append(event["data"])
    with open(args.reference) as f:
        reference = json.load(f)
    timed = sorted(s["tokens_per_second"] for s in steps[args.warmup:])
    ours = timed[len(timed) // 2]
    losses = [s["loss"] for s in steps]
    differences = [abs(a - b) for a, b in zip(losses, reference["losses"])]
    print(json.dumps({
        "config": args.name,
        "steps": len(steps),
        "strata_tokens_per_second": round(ours, 1),
        "reference_tokens_per_second": round(reference["tokens_per_second"], 1),
        "ratio": round(ours / reference["tokens_per_second"], 2),
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "reference_last_loss": reference["losses"][-1],
        "max_loss_difference": max(differences),
    }))


if __name__ == "__main__":
    main()
