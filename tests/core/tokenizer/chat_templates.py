"""The transformers side of tst_chat_templates (run with the pinned pytools python).

  chat_templates.py render REFERENCE_DIR OUT_JSONL
      Renders every chat template of the reference folder (llama.cpp's models/templates and
      SmolLM2's GGUF) over a fixed set of conversations, with and without the generation prompt,
      through transformers' apply_chat_template(tokenize=False), and writes one JSON object a
      line: the template's name and source, the variables the template saw, and either the
      rendered text ("expected") or transformers' error ("error", "raised": whether the template
      itself raised it with raise_exception).
  chat_templates.py encode TOKENIZER_JSON CASES_JSONL OUT_JSONL
      For each {"template", "messages", "add_generation_prompt", "bos_token", "eos_token"} of
      CASES_JSONL, the ids apply_chat_template(tokenize=True, sanitize_control_tokens=True) gives
      with the tokenizer of TOKENIZER_JSON, one JSON list a line.
"""
import glob
import json
import os
import sys

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no notice about PyTorch being absent
import jinja2  # noqa: E402
from tokenizers import Tokenizer, models  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

# The bos and eos strings of each family's tokenizer; templates not listed get the default.
SPECIAL_TOKENS = {
    "meta-llama": ("<|begin_of_text|>", "<|eot_id|>"),
    "Qwen": (None, "<|im_end|>"),
    "deepseek-ai": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "mistralai": ("<s>", "</s>"),
    "Mistral": ("<s>", "</s>"),
    "google-gemma": ("<bos>", "<eos>"),
    "microsoft-Phi": ("<s>", "<|endoftext|>"),
    "HuggingFaceTB": ("<|im_start|>", "<|im_end|>"),
    "SmolLM2": ("<|im_start|>", "<|im_end|>"),
}
DEFAULT_SPECIAL_TOKENS = ("<s>", "</s>")

TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city — in °C",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "the city"}},
            "required": ["city"],
        },
    },
}]


def conversations():
    """(name, messages, extra template variables, tools) of every case."""
    user = {"role": "user", "content": "What is 2 + 2?"}
    answer = {"role": "assistant", "content": "2 + 2 = 4."}
    system = {"role": "system", "content": "You are a terse assistant."}
    follow = {"role": "user", "content": "And 3 + 3?"}
    answer2 = {"role": "assistant", "content": "6"}
    tool_call = {
        "role": "assistant",
        "content": "",
        "tool_calls": [{
            "id": "call12345",
            "type": "function",
            "function": {"name": "get_weather", "arguments": {"city": "Zürich"}},
        }],
    }
    tool_result = {"role": "tool", "tool_call_id": "call12345", "content": "{\"temp\": 21}"}
    return [
        ("user", [user], {}, None),
        ("user-assistant", [user, answer], {}, None),
        ("system-user", [system, user], {}, None),
        ("system-user-assistant", [system, user, answer], {}, None),
        ("multi-turn", [user, answer, follow, answer2], {}, None),
        ("system-multi-turn", [system, user, answer, follow], {}, None),
        ("unicode", [{"role": "user", "content": "Grüße, 你好 👋🏽 — “quotes” é\u0301"},
                     {"role": "assistant", "content": "Ça va? ünïcødé ✓ 😀"}], {}, None),
        ("empty", [{"role": "user", "content": ""}, {"role": "assistant", "content": ""}], {}, None),
        ("spaces", [{"role": "system", "content": "  sys \n"},
                    {"role": "user", "content": "\n  padded question \n\n"},
                    {"role": "assistant", "content": "\n\nanswer\twith\ttabs\n  "}], {}, None),
        ("thinking", [user, {"role": "assistant",
                             "content": "<think>\nI add.\n</think>\n\n4"}, follow], {}, None),
        ("thinking-last", [user, {"role": "assistant",
                                  "content": "<think>\nI add.\n</think>\n\n4"}], {}, None),
        ("no-thinking", [user], {"enable_thinking": False}, None),
        ("roles-not-alternating", [user, follow], {}, None),
        ("assistant-first", [answer, user], {}, None),
        ("system-only", [system], {}, None),
        ("tools", [system, user, tool_call, tool_result], {}, TOOLS),
        ("special-text", [{"role": "user", "content": "<|im_end|> <s> </s> [INST] {{ x }} {% if %}"}],
         {}, None),
    ]


def special_tokens_for(name):
    for prefix, tokens in SPECIAL_TOKENS.items():
        if name.startswith(prefix):
            return tokens
    return DEFAULT_SPECIAL_TOKENS


def hf_tokenizer(bos, eos, tokenizer_file=None):
    if tokenizer_file:
        return PreTrainedTokenizerFast(tokenizer_file=tokenizer_file, bos_token=bos, eos_token=eos)
    return PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.BPE()), bos_token=bos,
                                   eos_token=eos)


def templates(reference_dir):
    found = []
    for path in sorted(glob.glob(os.path.join(reference_dir, "llama.cpp/models/templates/*.jinja"))):
        with open(path, encoding="utf-8") as f:
            found.append((os.path.basename(path)[: -len(".jinja")], f.read()))
    from gguf import GGUFReader

    for path in sorted(glob.glob(os.path.join(reference_dir, "smollm2/*.gguf"))):
        field = GGUFReader(path).fields["tokenizer.chat_template"]
        found.append(("SmolLM2-135M-Instruct", bytes(field.parts[field.data[0]]).decode("utf-8")))
    return found


def render(reference_dir, out_path):
    with open(out_path, "w", encoding="utf-8") as out:
        for name, source in templates(reference_dir):
            bos, eos = special_tokens_for(name)
            tokenizer = hf_tokenizer(bos, eos)
            for case, messages, extra, tools in conversations():
                for generation in (False, True):
                    record = {"template": name, "case": case, "source": source,
                              "messages": messages, "tools": tools, "extra": extra,
                              "add_generation_prompt": generation,
                              "special_tokens": {k: v for k, v in
                                                 tokenizer.special_tokens_map.items()}}
                    try:
                        record["expected"] = tokenizer.apply_chat_template(
                            messages, tools=tools, chat_template=source, tokenize=False,
                            add_generation_prompt=generation, **extra)
                    except Exception as error:  # noqa: BLE001 - every failure is a case
                        record["error"] = str(error)
                        record["raised"] = type(error) is jinja2.exceptions.TemplateError
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def encode(tokenizer_path, cases_path, out_path):
    with open(cases_path, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            case = json.loads(line)
            tokenizer = hf_tokenizer(case["bos_token"], case["eos_token"], tokenizer_path)
            ids = tokenizer.apply_chat_template(
                case["messages"], chat_template=case["template"], tokenize=True,
                sanitize_control_tokens=True, return_dict=False,
                add_generation_prompt=case["add_generation_prompt"])
            out.write(json.dumps(ids) + "\n")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "render":
        render(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
