"""The reference for bench_clean: the same cleaning stages written the way Python pipelines
write them (standard library and NumPy, one process), run on the same corpus with the same thresholds as Strata's defaults. Measures MB/s per core with every filter
and then with MinHash near dedup added; prints one JSON object. Run with the pinned pytools
python (scripts/bootstrap), as scripts/bench does.

  reference.py --corpus bench-data/corpus.jsonl [--limit-mb MB] [--ours BENCH_CLEAN_JSON]

--limit-mb 0 (the default) reads the whole corpus.
"""
import argparse
import collections
import hashlib
import json
import math
import re
import time
import unicodedata

import numpy as np

URL = re.compile(r"\b(?:https?://|ftp://|www\.)\S+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PHONE = re.compile(r"(?<!\w)\+?\d{1,4}(?:[ .-]\d{2,5}){2,4}(?!\w)")
IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
BULLETS = ("-", "*", "\u2022", "\u2023", "\u25e6", "\u2043")


def mask(text):
    text = URL.sub("<URL>", text)
    text = EMAIL.sub("<EMAIL>", text)
    text = IP.sub("<IP>", text)
    return PHONE.sub("<PHONE>", text)


def normalize(text):
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cf"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def entropy(text):
    counts = collections.Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def gopher_quality(text, words):
    mean = sum(len(w) for w in words) / len(words)
    if not 3 <= mean <= 10:
        return "mean_word_length"
    if (text.count("#") + text.count("...") + text.count("\u2026")) / len(words) > 0.1:
        return "symbol_ratio"
    lines = [line for line in text.split("\n") if line.strip()]
    if sum(line.lstrip().startswith(BULLETS) for line in lines) / len(lines) > 0.9:
        return "bullet_lines"
    if sum(line.rstrip().endswith(("...", "\u2026")) for line in lines) / len(lines) > 0.3:
        return "ellipsis_lines"
    if sum(any(c.isalpha() for c in w) for w in words) / len(words) < 0.8:
        return "alpha_words"
    return None


def duplicates(parts):
    seen, count, chars = set(), 0, 0
    for part in parts:
        if part in seen:
            count += 1
            chars += len(part)
        seen.add(part)
    return count, chars


def repetition(text, words):
    lines = [line for line in text.split("\n") if line.strip()]
    paragraphs = [p for p in re.split(r"\n{2,}", text) if p.strip()]
    for parts, name, limit in ((lines, "lines", 0.3), (paragraphs, "paragraphs", 0.3)):
        count, chars = duplicates(parts)
        if count / max(1, len(parts)) > limit or chars / len(text) > 0.2:
            return "duplicate_" + name
    for n, limit in ((2, 0.2), (3, 0.18), (4, 0.16)):
        grams = collections.Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))
        if grams:
            gram, count = grams.most_common(1)[0]
            if sum(len(w) for w in gram) * count / len(text) > limit:
                return f"top_{n}gram"
    for n, limit in zip(range(5, 11), (0.15, 0.14, 0.13, 0.12, 0.11, 0.10)):
        seen, repeated, marked = set(), 0, -1
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if gram in seen:
                for j in range(max(i, marked + 1), i + n):
                    repeated += len(words[j])
                marked = i + n - 1
            seen.add(gram)
        if repeated / len(text) > limit:
            return f"duplicate_{n}gram"
    return None


class NearDedup:
    """MinHash (128 permutations of 5-word shingles) with LSH (16 bands of 8 rows)."""

    PRIME = (1 << 61) - 1

    def __init__(self, num_hashes=128, bands=16, seed=1):
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, self.PRIME, num_hashes, dtype=np.uint64)
        self.b = rng.integers(0, self.PRIME, num_hashes, dtype=np.uint64)
        self.bands, self.rows = bands, num_hashes // bands
        self.buckets = [dict() for _ in range(bands)]
        self.kept = []

    def signature(self, words):
        shingles = {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}
        hashes = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 4
                           for s in shingles], dtype=np.uint64)
        return ((np.outer(self.a, hashes) + self.b[:, None]) % np.uint64(self.PRIME)).min(axis=1)

    def is_duplicate(self, words):
        signature = self.signature(words)
        keys = [signature[i * self.rows:(i + 1) * self.rows].tobytes() for i in range(self.bands)]
        for band, key in enumerate(keys):
            other = self.buckets[band].get(key)
            if other is not None and np.mean(self.kept[other] == signature) >= 0.8:
                return True
        for band, key in enumerate(keys):
            self.buckets[band].setdefault(key, len(self.kept))
        self.kept.append(signature)
        return False


def run(documents, near_dedup):
    seen = set()
    dedup = NearDedup() if near_dedup else None
    kept = 0
    start = time.perf_counter()
    with open("/dev/null", "w") as out:
        for text in documents:
            text = normalize(mask(text))
            words = text.split()
            if not 50 <= len(words) <= 100000 or entropy(text) < 3.5:
                continue
            if gopher_quality(text, words) or repetition(text, words):
                continue
            digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
            if digest in seen:
                continue
            seen.add(digest)
            if dedup and dedup.is_duplicate(words):
                continue
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
            kept += 1
    return time.perf_counter() - start, kept


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--limit-mb", type=float, default=0)
    parser.add_argument("--ours")
    args = parser.parse_args()
    documents, size, start = [], 0, time.perf_counter()
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            documents.append(json.loads(line)["text"])
            size += len(line.encode("utf-8"))
            if args.limit_mb and size >= args.limit_mb * 1e6:
                break
    read_seconds = time.perf_counter() - start
    result = {"corpus": args.corpus, "mb": size / 1e6, "documents": len(documents)}
    for key, near in (("all_filters_no_near_dedup", False), ("all_filters_with_near_dedup", True)):
        seconds, kept = run(documents, near)
        seconds += read_seconds  # Strata's figure includes reading and parsing the JSONL
        result[key] = {"seconds": seconds, "mb_per_s": size / 1e6 / seconds, "documents_out": kept}
    if args.ours:
        with open(args.ours) as f:
            ours = json.load(f)
        for key in ("all_filters_no_near_dedup", "all_filters_with_near_dedup"):
            result["ratio_" + key] = ours[key]["mb_per_s_per_thread"] / result[key]["mb_per_s"]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
