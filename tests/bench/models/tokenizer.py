"""The references for bench_model_tokenizer: Hugging Face tokenizers loading the same
tokenizer.json, and tiktoken built from its byte-level ranks and its pre-tokenizer (run with the
pinned pytools python).

  tokenizer.py --corpus bench-data/corpus.txt --tokenizer TOKENIZER_JSON [--mib 16]
               [--threads N] [--ours BENCH_JSON] [--ids IDS_FILE]

The documents are the first --mib MiB of the corpus cut at blank lines, as bench_model_tokenizer
takes them. tiktoken gets mergeable_ranks from the vocabulary (its added tokens left out) and one
regular expression that splits as the tokenizer's Sequence of Split pre-tokenizers does (DeepSeek-
V3's: digits in threes, then runs of CJK, then its main pattern, each within the pieces of the one
before): the main pattern with digits and the CJK ranges taken out of its classes, after the
digit and CJK alternatives, and `\\s+(?!\\S)` looking past a piece's end as the sequence does.
Measures encode throughput on one thread (tiktoken encode_ordinary per document; HF encode_batch
with RAYON_NUM_THREADS=1) and on --threads threads. With --ids (bench_model_tokenizer
--dump-ids) counts the documents whose ids equal HF's and tiktoken's; with --ours adds Strata's
numbers and the ratios. Prints one JSON object; exits non-zero when Strata's ids differ from
HF's on any document.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizer"))
from reference import byte_decoder, timed  # noqa: E402  (tests/bench/tokenizer/reference.py)

CJK = "一-龥\u3040-ゟ゠-ヿ"
# DeepSeek-V3's pre-tokenizer as one pattern (see the docstring).
DEEPSEEK_V3 = "|".join([
    r"\p{N}{1,3}",
    f"[{CJK}]+",
    r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+""",
    rf"[^\r\n\p{{L}}\p{{P}}\p{{S}}\p{{N}}{CJK}]?[[\p{{L}}\p{{M}}]--[{CJK}]]+",
    rf" ?[[\p{{P}}\p{{S}}]--[{CJK}]]+[\r\n]*",
    r"\s*[\r\n]+",
    rf"\s+(?![^\s\p{{N}}{CJK}])",
    r"\s+",
])


def first_documents(path, mib):
    """Documents separated by blank lines until `mib` MiB are taken, as bench_model_tokenizer."""
    with open(path, "rb") as f:
        corpus = f.read()
    documents, taken, limit = [], 0, mib << 20
    for document in corpus.split(b"\n\n"):
        if taken >= limit:
            break
        if document:
            documents.append(document.decode("utf-8"))
            taken += len(document)
    return documents, taken / (1 << 20)


def tiktoken_encoding(tokenizer_path):
    import tiktoken
    with open(tokenizer_path, encoding="utf-8") as f:
        spec = json.load(f)
    added = {t["content"]: t["id"] for t in spec["added_tokens"]}
    decoder = byte_decoder()
    ranks = {}
    for token, rank in spec["model"]["vocab"].items():
        if added.get(token) == rank:
            continue
        ranks[bytes(decoder[c] for c in token)] = rank
    return tiktoken.Encoding(name="deepseek-v3", pat_str=DEEPSEEK_V3, mergeable_ranks=ranks,
                             special_tokens=added)


def hf_child(args):
    """Runs in a child process so that RAYON_NUM_THREADS takes effect."""
    from tokenizers import Tokenizer
    documents, _ = first_documents(args.corpus, args.mib)
    tokenizer = Tokenizer.from_file(args.tokenizer)
    seconds, encodings = timed(lambda: tokenizer.encode_batch(documents, add_special_tokens=False))
    with open(args.child_ids, "w") as f:
        for encoding in encodings:
            f.write(" ".join(map(str, encoding.ids)) + "\n")
    print(json.dumps({"seconds": seconds}))


def run_child(args, threads, ids_path):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    command = [sys.executable, __file__, "--child", "--corpus", args.corpus,
               "--tokenizer", args.tokenizer, "--mib", str(args.mib), "--child-ids", ids_path]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output)["seconds"]


def read_ids(path):
    with open(path) as f:
        return [[int(x) for x in line.split()] for line in f]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--mib", type=int, default=16)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--ours")
    parser.add_argument("--ids")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--child-ids")
    args = parser.parse_args()
    if args.child:
        hf_child(args)
        return

    documents, mib = first_documents(args.corpus, args.mib)
    encoding = tiktoken_encoding(args.tokenizer)
    tt_single, tt_ids = timed(lambda: [encoding.encode_ordinary(d) for d in documents])
    tt_all, _ = timed(lambda: encoding.encode_ordinary_batch(documents, num_threads=args.threads))
    hf_ids_path = (args.ids or "hf") + ".hf"
    hf_single = run_child(args, 1, hf_ids_path)
    hf_all = run_child(args, args.threads, hf_ids_path)
    hf_ids = read_ids(hf_ids_path)
    os.remove(hf_ids_path)

    result = {
        "corpus_mib": mib,
        "documents": len(documents),
        "threads": args.threads,
        "vocab_size": encoding.n_vocab,
        "tiktoken_encode_1_thread_mib_s": mib / tt_single,
        "tiktoken_encode_all_threads_mib_s": mib / tt_all,
        "hf_encode_1_thread_mib_s": mib / hf_single,
        "hf_encode_all_threads_mib_s": mib / hf_all,
        "tiktoken_ids_equal_hf": sum(t == h for t, h in zip(tt_ids, hf_ids)),
    }
    if args.ids:
        ours = read_ids(args.ids)
        result["checked_documents"] = len(ours)
        result["ids_equal_hf"] = sum(o == h for o, h in zip(ours, hf_ids))
        result["ids_equal_tiktoken"] = sum(o == t for o, t in zip(ours, tt_ids))
    if args.ours:
        with open(args.ours) as f:
            strata = json.load(f)
        result["strata"] = strata
        for threads in ("1_thread", "all_threads"):
            ours = strata[f"encode_{threads}_mib_s"]
            result[f"ratio_encode_{threads}_vs_tiktoken"] = (
                ours / result[f"tiktoken_encode_{threads}_mib_s"])
            result[f"ratio_encode_{threads}_vs_hf"] = ours / result[f"hf_encode_{threads}_mib_s"]
    print(json.dumps(result, indent=2))
    if args.ids and (result["checked_documents"] != len(documents)
                     or result["ids_equal_hf"] != len(documents)):
        sys.exit("tokenizer.py: Strata's ids differ from Hugging Face's")


if __name__ == "__main__":
    main()
