"""The Hugging Face side of tst_hf_tokenizers (run with the pinned pytools python).

  hf_tokenizers.py convert GGUF OUT_DIR
      Builds the Hugging Face tokenizer of a llama.cpp vocabulary GGUF the way transformers
      does (PreTrainedTokenizerFast.from_pretrained(..., gguf_file=...)) and saves it to OUT_DIR
      (tokenizer.json + tokenizer_config.json).
  hf_tokenizers.py expect FOLDER STRINGS_JSONL OUT_JSONL
      For each JSON string: the ids of tokenizers.Tokenizer.from_file(FOLDER/tokenizer.json)
      with add_special_tokens False and True, and the decode (skip_special_tokens False) of
      both. transformers' AutoTokenizer on FOLDER must give the same ids, or the script fails.
  hf_tokenizers.py encode TOKENIZER_JSON STRINGS_JSONL OUT_JSONL
      The ids (add_special_tokens False) of a tokenizer.json Strata wrote.
  hf_tokenizers.py variants BYTE_LEVEL_DIR BYTE_FALLBACK_DIR STRINGS_JSONL OUT_DIR
      Variations of two real tokenizers on the parts and options real files of the open families
      use but these two do not (NFC and NFKC, Digits, every Split behaviour and invert, ByteLevel's
      own regex and prefix space, Metaspace's prepend schemes and split, added tokens with lstrip,
      rstrip, single_word and normalized): OUT_DIR/NAME/tokenizer.json for each, and beside it
      OUT_DIR/NAME.jsonl as `expect` writes it; OUT_DIR/variants.txt lists the names. The two are
      cut to their first 4,000 tokens first, to load quickly.
"""
import json
import os
import sys
import types

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no notice about PyTorch being absent
from tokenizers import Tokenizer  # noqa: E402
from transformers import AutoTokenizer, PreTrainedTokenizerFast  # noqa: E402


def read_strings(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class _NoTorch(types.ModuleType):
    """transformers' GGUF reader imports torch for tensors; reading a vocabulary needs none."""

    def __getattr__(self, name):
        return _NoTorch(name)

    def __call__(self, *args, **kwargs):
        return _NoTorch("call")


def convert(gguf_path, out_dir):
    sys.modules.setdefault("torch", _NoTorch("torch"))
    folder, name = os.path.split(os.path.abspath(gguf_path))
    tokenizer = PreTrainedTokenizerFast.from_pretrained(folder, gguf_file=name)
    tokenizer.save_pretrained(out_dir)


def expect(folder, strings_path, out_path):
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    auto = AutoTokenizer.from_pretrained(folder)
    with open(out_path, "w", encoding="utf-8") as out:
        for text in read_strings(strings_path):
            plain = tokenizer.encode(text, add_special_tokens=False).ids
            special = tokenizer.encode(text, add_special_tokens=True).ids
            if auto.encode(text, add_special_tokens=False) != plain:
                sys.exit(f"hf_tokenizers.py: transformers and tokenizers disagree on {text!r}")
            if auto.encode(text, add_special_tokens=True) != special:
                sys.exit(f"hf_tokenizers.py: add_special_tokens differs in transformers on {text!r}")
            record = {
                "ids": plain,
                "special": special,
                "decoded": tokenizer.decode(plain, skip_special_tokens=False),
                "decoded_special": tokenizer.decode(special, skip_special_tokens=False),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def encode(tokenizer_path, strings_path, out_path):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    with open(out_path, "w", encoding="utf-8") as out:
        for text in read_strings(strings_path):
            ids = tokenizer.encode(text, add_special_tokens=False).ids
            out.write(json.dumps({"ids": ids}) + "\n")


def _split(pattern, behavior, invert=False):
    return {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert}


def _added(id_, content, special=False, normalized=True, lstrip=False, rstrip=False,
           single_word=False):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip,
            "rstrip": rstrip, "normalized": normalized, "special": special}


def _byte_level_variants(base):
    regex = base["pre_tokenizer"]["pretokenizers"][0]["pattern"]
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                  "use_regex": False}

    def with_pre(*steps):
        return {"pre_tokenizer": {"type": "Sequence", "pretokenizers": list(steps) + [byte_level]}}

    next_id = len(base["model"]["vocab"])
    added = base["added_tokens"] + [
        _added(next_id, "<mask>", special=True, normalized=False, lstrip=True),
        _added(next_id + 1, "[TOOL]", special=True, normalized=False, rstrip=True),
        _added(next_id + 2, "catz", single_word=True),
        _added(next_id + 3, "ＡＢＣ", normalized=True),
        _added(next_id + 4, " dog", lstrip=True, rstrip=True),
    ]
    return {
        "nfc": {"normalizer": {"type": "NFC"}},
        "nfkc": {"normalizer": {"type": "NFKC"}},
        "normalizer-sequence": {"normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "NFKC"}]}},
        "digits-individual": with_pre({"type": "Digits", "individual_digits": True},
                                      _split(regex, "Isolated")),
        "digits-grouped": with_pre({"type": "Digits", "individual_digits": False},
                                   _split(regex, "Isolated")),
        "split-removed": with_pre(_split({"Regex": "\\s+"}, "Removed")),
        "split-merged-previous": with_pre(_split({"Regex": "[,.!?]"}, "MergedWithPrevious")),
        "split-merged-next": with_pre(_split({"String": " "}, "MergedWithNext")),
        "split-contiguous": with_pre(_split({"Regex": "\\p{N}"}, "Contiguous")),
        "split-inverted": with_pre(_split({"Regex": "\\p{L}+"}, "Isolated", invert=True)),
        "split-inverted-removed": with_pre(_split({"Regex": "\\p{L}+|\\p{N}+"}, "Removed",
                                                  invert=True)),
        "byte-level-regex": {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": True,
                                               "trim_offsets": True, "use_regex": True}},
        "added-token-options": {"normalizer": {"type": "NFKC"}, "added_tokens": added},
    }


def _byte_fallback_variants(base):
    def metaspace(scheme, split):
        return {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": scheme,
                "split": split}

    return {
        "metaspace-always": {"pre_tokenizer": metaspace("always", False)},
        "metaspace-never": {"pre_tokenizer": metaspace("never", False)},
        "metaspace-split": {"pre_tokenizer": metaspace("first", True)},
        "metaspace-nfkc": {"normalizer": {"type": "NFKC"}, "pre_tokenizer": metaspace("first", True)},
    }


def _shrunk(tokenizer, size):
    """The tokenizer's first `size` tokens and the merges among them, its added tokens dropped:
    a real vocabulary that loads in a fraction of the time."""
    model = tokenizer["model"]
    vocab = {token: id_ for token, id_ in model["vocab"].items() if id_ < size}
    merges = []
    for merge in model["merges"]:
        left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
        if left in vocab and right in vocab and left + right in vocab:
            merges.append(merge)
    return {**tokenizer, "added_tokens": [], "model": {**model, "vocab": vocab, "merges": merges}}


def variants(byte_level_dir, byte_fallback_dir, strings_path, out_dir):
    names = []
    for base_dir, make in ((byte_level_dir, _byte_level_variants),
                           (byte_fallback_dir, _byte_fallback_variants)):
        with open(os.path.join(base_dir, "tokenizer.json"), encoding="utf-8") as f:
            base = _shrunk(json.load(f), 4000)
        for name, changes in make(base).items():
            folder = os.path.join(out_dir, name)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
                json.dump({**base, **changes}, f, ensure_ascii=False)
            tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
            with open(os.path.join(out_dir, name + ".jsonl"), "w", encoding="utf-8") as out:
                for text in read_strings(strings_path):
                    ids = tokenizer.encode(text, add_special_tokens=False).ids
                    record = {"ids": ids, "decoded": tokenizer.decode(ids, skip_special_tokens=False)}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            names.append(name)
    with open(os.path.join(out_dir, "variants.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "expect":
        expect(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "variants":
        variants(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
