"""The Hugging Face side of tst_hf_interop (run with the pinned pytools python).

  hf_interop.py encode TOKENIZER_JSON STRINGS_JSONL OUT_IDS
      Encodes each JSON string of STRINGS_JSONL with tokenizers.Tokenizer.from_file and writes
      one line of space-separated ids per string; transformers' PreTrainedTokenizerFast must
      load the same file and give the same ids.
  hf_interop.py train CORPUS_JSONL VOCAB_SIZE PATTERN OUT_JSON
      Trains a byte-level BPE tokenizer (Split PATTERN isolated, then ByteLevel without regex)
      on the JSON strings of CORPUS_JSONL and saves it.
"""
import json
import os
import sys

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no notice about PyTorch being absent
from transformers import PreTrainedTokenizerFast  # noqa: E402

SPECIAL_TOKENS = ["<|bos|>", "<|eos|>", "<|pad|>", "<|system|>", "<|user|>", "<|assistant|>"]


def read_strings(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode(tokenizer_path, strings_path, out_path):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    fast = PreTrainedTokenizerFast(tokenizer_file=tokenizer_path)
    with open(out_path, "w", encoding="utf-8") as out:
        for text in read_strings(strings_path):
            ids = tokenizer.encode(text, add_special_tokens=False).ids
            if tokenizer.decode(ids, skip_special_tokens=False) != text:
                sys.exit(f"hf_interop.py: Hugging Face does not round-trip {text!r}")
            if fast.encode(text, add_special_tokens=False) != ids:
                sys.exit(f"hf_interop.py: transformers and tokenizers disagree on {text!r}")
            out.write(" ".join(map(str, ids)) + "\n")


def train(corpus_path, vocab_size, pattern, out_path):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(read_strings(corpus_path), trainer)
    tokenizer.save(out_path)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "train":
        train(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
