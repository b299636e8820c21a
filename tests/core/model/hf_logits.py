"""The Hugging Face side of tst_hf_format (run with the pinned pytools python).

  hf_logits.py check
      Exits 0 when torch and transformers import, 3 with the reason on stderr when they do not.
  hf_logits.py run TOKENS_JSON PROBE_TEXT HF_DIR OUT [HF_DIR OUT ...]
      Loads each exported folder with AutoModelForCausalLM (float32, eager attention) and fails
      on any missing, unexpected or mismatched tensor, or on a class other than the one
      config.json names; writes the logits of the token rows of TOKENS_JSON (a list of equal-length
      lists) to OUT as raw little-endian float32 (rows, time, vocabulary), and the ids
      AutoTokenizer gives PROBE_TEXT to OUT.ids, space-separated.

Torch comes from STRATA_TORCH_SITE_PACKAGES when the environment lacks it (tests/reference_torch.py).
"""
import json
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from reference_torch import import_torch  # noqa: E402  (tests/reference_torch.py)

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def import_torch_and_transformers():
    torch = import_torch()
    import transformers

    return torch, transformers


def check():
    try:
        torch, transformers = import_torch_and_transformers()
    except ImportError as error:
        print(f"{error} (python {sys.executable}, STRATA_TORCH_SITE_PACKAGES="
              f"{os.environ.get('STRATA_TORCH_SITE_PACKAGES', '')!r})", file=sys.stderr)
        sys.exit(3)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")


def run(tokens_path, probe_text, pairs):
    torch, transformers = import_torch_and_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with open(tokens_path, encoding="utf-8") as f:
        tokens = torch.tensor(json.load(f), dtype=torch.long)
    for folder, out in pairs:
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            wanted_class = json.load(f)["architectures"][0]
        model, info = AutoModelForCausalLM.from_pretrained(
            folder, dtype=torch.float32, attn_implementation="eager", output_loading_info=True)
        problems = {key: value for key, value in info.items() if value}
        if problems:
            sys.exit(f"hf_logits.py: {folder} does not load cleanly: {problems}")
        if type(model).__name__ != wanted_class:
            sys.exit(f"hf_logits.py: {folder} loaded as {type(model).__name__}, not {wanted_class}")
        model.eval()
        with torch.no_grad():
            logits = model(input_ids=tokens).logits
        logits.to(torch.float32).contiguous().numpy().astype("<f4").tofile(out)

        tokenizer = AutoTokenizer.from_pretrained(folder)
        ids = tokenizer.encode(probe_text, add_special_tokens=False)
        with open(out + ".ids", "w", encoding="utf-8") as f:
            f.write(" ".join(map(str, ids)) + "\n")


def main(argv):
    if argv[1:2] == ["check"]:
        check()
    elif len(argv) >= 6 and argv[1] == "run" and len(argv) % 2 == 0:
        run(argv[2], argv[3], list(zip(argv[4::2], argv[5::2])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
