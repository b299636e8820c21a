"""Import of a GGUF model: `strata-cli import MODEL.gguf` against transformers' GGUF loading
(`AutoModelForCausalLM.from_pretrained(folder, gguf_file=...)`, float32), each in a fresh
process, the median of --runs runs, with the peak resident memory of each process
(getrusage's ru_maxrss). Strata's import reads, validates and dequantizes the file and writes a
model folder (model.safetensors in float32) that every stage reads; transformers' ends with the
model in memory. Prints one JSON object.

  gguf_import.py --strata BIN --gguf MODEL.gguf --out DIR [--runs 3]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

# Each reference process starts with torch (tests/reference_torch.py) and transformers imported.
IMPORTS = f"""
import os, resource, sys, time
sys.path.append({os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")!r})
from reference_torch import import_torch
torch = import_torch()
import transformers
"""

LOAD = IMPORTS + """
start = time.perf_counter()
folder, name = os.path.split(sys.argv[1])
model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BASELINE = IMPORTS + """
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def strata_import(binary, gguf, out):
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([binary, "import", gguf, "-o", out], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of any child so far: the first run sets it.
    return seconds, max(peak, before)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strata", required=True)
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    gguf = os.path.abspath(args.gguf)

    ours = [strata_import(args.strata, gguf, args.out) for _ in range(args.runs)]
    theirs = []
    for _ in range(args.runs):
        result = subprocess.run([sys.executable, "-c", LOAD, gguf], check=True,
                                capture_output=True, text=True)
        seconds, peak = result.stdout.split()
        theirs.append((float(seconds), int(peak)))
    baseline = int(subprocess.run([sys.executable, "-c", BASELINE], check=True,
                                  capture_output=True, text=True).stdout)
    folder_bytes = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    strata_seconds = statistics.median(s for s, _ in ours)
    reference_seconds = statistics.median(s for s, _ in theirs)
    print(json.dumps({
        "gguf": os.path.basename(gguf),
        "gguf_mb": round(os.path.getsize(gguf) / 1e6, 1),
        "strata_import_s": round(strata_seconds, 2),
        "strata_peak_rss_mb": round(max(p for _, p in ours) / 1024, 1),
        "strata_folder_mb": round(folder_bytes / 1e6, 1),
        "transformers_load_s": round(reference_seconds, 2),
        "transformers_peak_rss_mb": round(max(p for _, p in theirs) / 1024, 1),
        "transformers_import_baseline_rss_mb": round(baseline / 1024, 1),
        "speedup": round(reference_seconds / strata_seconds, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
