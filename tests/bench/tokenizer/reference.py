"""Reference numbers for bench_tokenizer: tiktoken and Hugging Face tokenizers on the same corpus
and the same tokenizer (run with the pinned pytools python, STRATA_PYTOOLS_PYTHON).

  reference.py --corpus bench-data/corpus.txt --tokenizer TOKENIZER_JSON
               [--ours BENCH_JSON] [--ids IDS_FILE] [--threads N] [--vocab-size 32000]

TOKENIZER_JSON is the tokenizer bench_tokenizer trained and saved. tiktoken gets the same
merges (mergeable_ranks from the vocab, pat_str the cl100k pattern); Hugging Face loads the file.
Measures encode throughput on one thread (tiktoken encode_ordinary per document and per 1 MiB
chunk; HF encode_batch with RAYON_NUM_THREADS=1) and on all threads, and HF's BpeTrainer time for the same vocabulary
size, pre-tokenizer and thread count. With --ids (bench_tokenizer --dump-ids), checks that
Strata's ids equal tiktoken's and HF's on those documents. With --ours, adds Strata's numbers and
the ratios. Prints one JSON object.
"""
import argparse
import json
import os
import subprocess
import sys
import time

CL100K = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"""
          r""" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""")
SPECIAL_TOKENS = ["<|bos|>", "<|eos|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>"]


def read_documents(path):
    """Documents separated by blank lines, as bench_tokenizer splits them."""
    with open(path, encoding="utf-8") as f:
        return [d for d in f.read().split("\n\n") if d]


def join_into_chunks(documents):
    """Consecutive documents joined by blank lines into chunks of >= 1 MiB, as bench_tokenizer."""
    chunks, current, size = [], [], 0
    for document in documents:
        current.append(document)
        size += len(document.encode("utf-8")) + 2
        if size - 2 >= (1 << 20):
            chunks.append("\n\n".join(current))
            current, size = [], 0
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def byte_decoder():
    """GPT-2's bytes_to_unicode, inverted: code point -> byte."""
    printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    codes = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, codes)}


def tiktoken_encoding(tokenizer_path):
    import tiktoken
    with open(tokenizer_path, encoding="utf-8") as f:
        spec = json.load(f)
    added = {t["content"]: t["id"] for t in spec["added_tokens"]}
    decoder = byte_decoder()
    ranks = {}
    for token, rank in spec["model"]["vocab"].items():
        if token in added and added[token] == rank:
            continue
        ranks[bytes(decoder[c] for c in token)] = rank
    return tiktoken.Encoding(name="strata-bench", pat_str=CL100K, mergeable_ranks=ranks,
                             special_tokens=added)


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def hf_child(args):
    """Runs in a child process so that RAYON_NUM_THREADS takes effect."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    documents = read_documents(args.corpus)
    if args.child == "encode":
        tokenizer = Tokenizer.from_file(args.tokenizer)
        seconds, encodings = timed(lambda: tokenizer.encode_batch(documents, add_special_tokens=False))
        sample = [e.ids for e in encodings[:args.sample]]
        print(json.dumps({"seconds": seconds, "sample": sample}))
    else:
        tokenizer = Tokenizer(models.BPE())
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(CL100K), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
        tokenizer.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(vocab_size=args.vocab_size, min_frequency=2,
                                      special_tokens=SPECIAL_TOKENS, show_progress=False,
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
        seconds, _ = timed(lambda: tokenizer.train_from_iterator(documents, trainer, length=len(documents)))
        print(json.dumps({"seconds": seconds, "vocab_size": tokenizer.get_vocab_size()}))


def run_child(args, child, threads):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    command = [sys.executable, __file__, "--child", child, "--corpus", args.corpus,
               "--tokenizer", args.tokenizer, "--vocab-size", str(args.vocab_size),
               "--sample", str(args.sample)]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def read_ids(path):
    with open(path) as f:
        return [[int(x) for x in line.split()] for line in f]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--ours")
    parser.add_argument("--ids")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--vocab-size", type=int, default=32000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--child", choices=["encode", "train"])
    args = parser.parse_args()
    if args.child:
        hf_child(args)
        return

    documents = read_documents(args.corpus)
    mib = sum(len(d.encode("utf-8")) for d in documents) / (1 << 20)
    encoding = tiktoken_encoding(args.tokenizer)
    tt_single, tt_ids = timed(lambda: [encoding.encode_ordinary(d) for d in documents])
    chunks = join_into_chunks(documents)
    chunk_mib = sum(len(c.encode("utf-8")) for c in chunks) / (1 << 20)
    tt_chunks, _ = timed(lambda: [encoding.encode_ordinary(c) for c in chunks])
    tt_all, _ = timed(lambda: encoding.encode_ordinary_batch(documents, num_threads=args.threads))
    hf_single = run_child(args, "encode", 1)
    hf_all = run_child(args, "encode", args.threads)
    hf_train = run_child(args, "train", args.threads)

    result = {
        "corpus_mib": mib,
        "documents": len(documents),
        "threads": args.threads,
        "tiktoken_encode_1_thread_mib_s": mib / tt_single,
        "tiktoken_encode_1_thread_chunks_mib_s": chunk_mib / tt_chunks,
        "tiktoken_encode_all_threads_mib_s": mib / tt_all,
        "hf_encode_1_thread_mib_s": mib / hf_single["seconds"],
        "hf_encode_all_threads_mib_s": mib / hf_all["seconds"],
        "hf_train_seconds": hf_train["seconds"],
        "hf_train_vocab_size": hf_train["vocab_size"],
    }
    if args.ids:
        ours = read_ids(args.ids)
        sample = len(ours)
        result["checked_documents"] = sample
        result["ids_equal_tiktoken"] = sum(o == t for o, t in zip(ours, tt_ids[:sample]))
        result["ids_equal_hf"] = sum(o == h for o, h in zip(ours, hf_single["sample"][:sample]))
    if args.ours:
        with open(args.ours) as f:
            strata = json.load(f)
        result["strata"] = strata
        result["ratio_encode_1_thread_vs_tiktoken"] = (
            strata["encode_1_thread_mib_s"] / result["tiktoken_encode_1_thread_mib_s"])
        result["ratio_encode_1_thread_chunks_vs_tiktoken"] = (
            strata["encode_1_thread_chunks_mib_s"] / result["tiktoken_encode_1_thread_chunks_mib_s"])
        result["ratio_encode_all_threads_vs_tiktoken"] = (
            strata["encode_all_threads_mib_s"] / result["tiktoken_encode_all_threads_mib_s"])
        result["ratio_encode_1_thread_vs_hf"] = (
            strata["encode_1_thread_mib_s"] / result["hf_encode_1_thread_mib_s"])
        result["ratio_train_vs_hf"] = hf_train["seconds"] / strata["train_seconds"]
    print(json.dumps(result, indent=2))
    if args.ids and (result["ids_equal_tiktoken"] != sample or result["ids_equal_hf"] != sample):
        sys.exit("reference.py: Strata's ids differ from tiktoken's or Hugging Face's")


if __name__ == "__main__":
    main()
