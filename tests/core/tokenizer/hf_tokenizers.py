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


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "expect":
        expect(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
