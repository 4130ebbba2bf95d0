#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's tokenizer read from a GGUF file is tested against.

    make model                                                      # fetches Models/SmolLM2-135M-Instruct/
    python3 Tests/NNTests/Fixtures/gguf-tokenizer/make_references.py

Everything comes from the same file the Swift tests read, SmolLM2-135M-Instruct.Q4_1.gguf, read
with the `gguf` package (llama.cpp's own reader): the tokens, token types, merges, special ids and
the chat template.

The encodings come from Hugging Face's `tokenizers`, configured as SmolLM2's own `tokenizer.json`
is (HuggingFaceTB/SmolLM2-135M-Instruct): a byte-level BPE model with the file's tokens and
merges, the pre-tokenizer `Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False,
use_regex=True)]`, the `ByteLevel` decoder, and the file's control tokens (type 3) added as special
tokens (user-defined ones, type 4, as plain added tokens). That pre-tokenizer is what llama.cpp's
`smollm` pre-tokenizer type does too (the regex `\\p{N}` and then GPT-2's pattern).

Why not `AutoTokenizer.from_pretrained(folder, gguf_file=...)`: in transformers 5.24.0 its GGUF
reader imports torch, which this machine does not have. Its tokenizer conversion
(`transformers.integrations.gguf.gguf_tokenizer_mapping.convert_gguf_tokenizer`) does not need torch,
so the script also runs that on the same metadata and reports, for every text, whether it agrees.
It does not always: transformers knows no `smollm` pre-tokenizer and falls back to GPT-2's
ByteLevel alone. SmolLM2's vocabulary has no token of two digits, so `12345` comes out as five
tokens either way, but a space or a symbol byte before a number character is cut off from it only
by the Digits step (`"  7"` is `["ĠĠ", "7"]` in SmolLM2 and llama.cpp, `["Ġ", "Ġ", "7"]` there;
`" ½"` is `["Ġ", "Â½"]`, not `["ĠÂ", "½"]`). Each text records `transformers_gguf_agrees`.

The chat references are transformers' `apply_chat_template` (its Jinja renderer) with the file's
`tokenizer.chat_template`, on a `PreTrainedTokenizerFast` wrapping the reference tokenizer.

When the packages cannot be imported, the script makes a private virtual environment under /tmp,
installs the pinned versions there and runs itself again in it. The tests never need Python.
"""
import json
import os
from importlib.metadata import version
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[3]
MODEL = REPOSITORY / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
VENV = Path("/tmp/cuaderno-gguf-tokenizer-venv")
# The versions the committed references were made with.
REQUIREMENTS = ["gguf==0.19.0", "tokenizers==0.23.3", "transformers==5.24.0", "jinja2==3.1.6"]


def ensure_packages():
    """Imports the packages, or makes the private virtual environment and runs this script again in it."""
    try:
        import gguf, jinja2, tokenizers, transformers  # noqa: F401, E401
        return
    except ImportError:
        pass
    if os.environ.get("CUADERNO_GGUF_TOKENIZER_VENV") == "1":
        sys.exit(f"error: {REQUIREMENTS} are still missing in {VENV}; delete that folder and run again")
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"Making {VENV} and installing {' '.join(REQUIREMENTS)} there…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS],
                       check=True)
    os.execve(str(python), [str(python), __file__, *sys.argv[1:]],
              {**os.environ, "CUADERNO_GGUF_TOKENIZER_VENV": "1"})


ensure_packages()
import jinja2  # noqa: E402
import tokenizers  # noqa: E402
import transformers  # noqa: E402
from gguf import GGUFReader  # noqa: E402
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402
from transformers.integrations.gguf.gguf_tokenizer_mapping import (  # noqa: E402
    GGUF_TOKENIZER_MAPPING, convert_gguf_tokenizer)

CONTROL, USER_DEFINED = 3, 4  # llama.cpp's token types

# (name, text): each exercises a rule of the pre-tokenizer, the byte-level alphabet, the merges or
# the special tokens.
TEXTS = [
    ("empty string", ""),
    ("plain sentence", "Hello, world! How are you today?"),
    ("leading spaces", "   leading spaces"),
    ("trailing spaces", "trailing spaces   "),
    ("runs of spaces inside", "multiple     spaces   inside  words"),
    ("only spaces", "     "),
    ("tabs", "tabs\tand\ttabs\t\tdoubled\t"),
    ("newlines and CRLF", "new\nlines\n\n\nand\r\nCRLF\n"),
    ("only newlines", "\n\n\n"),
    ("digits alone", "12345"),
    ("decimals", "pi is 3.14 and e is 2.71828"),
    ("thousands separators", "1,000,000 people in 2024"),
    ("spaces before digits", " 42 and  7 and\t9"),
    ("a long number", "1234567890" * 8),
    ("other numbers", "x² + ½ = Ⅻ, ٣٤٥ and ३ and ①"),
    ("prices and percentages", "Price: $12.99, 50% off!!! (was €20)"),
    ("accents, composed", "café, naïve, Zoë, crème brûlée, Ångström"),
    ("accent as a combining mark", "Cafe\u0301 cre\u0300me"),
    ("Spanish sentences", "El niño comió piñata. ¿Dónde está? ¡Qué bien! La cigüeña voló."),
    ("Spanish question alone", "¿Cómo estás?"),
    ("CJK", "日本語のテキスト、中文文本，한국어 텍스트"),
    ("Cyrillic and Greek", "Привет, мир! Γειά σου κόσμε"),
    ("emoji", "Emoji: 😀👍🏽🍿"),
    ("emoji ZWJ sequences", "👨‍👩‍👧‍👦 and 👩🏽‍💻 together"),
    ("flags", "🇪🇸🇲🇽🇺🇸 flags"),
    ("variation selector", "❤️ vs ❤ and ☺︎"),
    ("Swift code", "func greet(_ name: String) -> String {\n    let message = \"Hola, \\(name)!\"\n"
                   "    return message\n}\n"),
    ("Python code", "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)  # recursion\n"),
    ("contractions", "don't, can't, I'll, we've, she's, they're, I'd"),
    ("contractions in capitals", "I'M SURE YOU'LL SEE IT'S FINE"),
    ("URL", "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct?x=1&y=2#top"),
    ("e-mail address", "write to someone@example.com, please"),
    ("punctuation runs", "Wait... what?!?! (yes) [no] {maybe} --- ok"),
    ("Markdown", "# Title\n\n- item 1\n- item 2\n\n**bold** and `code`"),
    ("JSON", "{\"key\": [1, 2, 3], \"ok\": true}"),
    ("special tokens in text", "<|im_start|>user\nhi<|im_end|>\n"),
    ("end of text alone", "<|endoftext|>"),
    ("special tokens back to back", "text<|im_end|>more<|endoftext|><repo_name>x<file_sep>"),
    ("a lone special-looking fragment", "<|im_"),
    ("near misses of special tokens", "<|IM_START|> <|im_start |> <im_start> |im_end|>"),
    ("code special tokens", "<filename>a.py<gh_stars>10<jupyter_code>print(1)"),
    ("unusual spaces", "a\u00a0b\u3000c\u2009d\u202fe"),
    ("controls and invisible characters", "a\u0000b\u0007c\u200bd\ufeffe\u00adf"),
    ("a very long word", "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4),
    ("a long run of one letter", "a" * 300),
]

CHATS = [
    ("one user message", [("user", "What is the capital of Spain?")], True),
    ("system and user", [("system", "You are a concise teacher."), ("user", "Explain BPE in one line.")], True),
    ("several turns", [("system", "Answer in Spanish."), ("user", "Hello!"), ("assistant", "¡Hola! ¿Qué tal?"),
                       ("user", "What is 2 + 2?")], True),
    ("no generation prompt", [("user", "Hi"), ("assistant", "Hello! How can I help?")], False),
    ("contents with newlines, digits and specials",
     [("user", "Line 1\nLine 2\n\n  indented 3.14 <|im_end|> café 😀")], True),
    ("assistant first", [("assistant", "I start."), ("user", "OK")], True),
    ("empty content", [("user", "")], True),
]


def field(reader, key):
    entry = reader.fields.get(key)
    return None if entry is None else entry.contents()


def reference_tokenizer(tokens, token_types, merges, unknown):
    """SmolLM2's tokenizer.json, with the GGUF file's tokens and merges."""
    model = models.BPE(vocab={token: index for index, token in enumerate(tokens)},
                       merges=[tuple(merge.split(" ")) for merge in merges],
                       unk_token=unknown, ignore_merges=False)
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)])
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([AddedToken(token, normalized=False, special=True)
                                  for token, kind in zip(tokens, token_types) if kind == CONTROL])
    tokenizer.add_tokens([AddedToken(token, normalized=False, special=False)
                          for token, kind in zip(tokens, token_types) if kind == USER_DEFINED])
    assert tokenizer.get_vocab_size() == len(tokens), "an added token is not in the vocabulary"
    return tokenizer


def transformers_gguf_tokenizer(reader):
    """transformers' own conversion of the file's tokenizer metadata (without its torch-based reader)."""
    tokenizer_dict = {}
    for key, name in GGUF_TOKENIZER_MAPPING["tokenizer"].items():
        value = field(reader, f"tokenizer.{key}")
        if value is not None:
            tokenizer_dict[name] = value
    backend, _ = convert_gguf_tokenizer(field(reader, "general.architecture"), tokenizer_dict)
    return backend


def encodings(reference, converted):
    result = []
    for name, text in TEXTS:
        encoding = reference.encode(text, add_special_tokens=False)
        result.append({
            "name": name, "text": text, "ids": encoding.ids, "tokens": encoding.tokens,
            "decoded": reference.decode(encoding.ids, skip_special_tokens=False),
            "decoded_skipping_special": reference.decode(encoding.ids, skip_special_tokens=True),
            "transformers_gguf_agrees": converted.encode(text, add_special_tokens=False).ids == encoding.ids,
        })
    return result


def chats(reference, template, special):
    wrapped = PreTrainedTokenizerFast(tokenizer_object=reference, chat_template=template, **special)
    result = []
    for name, turns, generation_prompt in CHATS:
        messages = [{"role": role, "content": content} for role, content in turns]
        text = wrapped.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)
        ids = wrapped.apply_chat_template(messages, tokenize=True, add_generation_prompt=generation_prompt,
                                          return_dict=False)
        assert ids == reference.encode(text, add_special_tokens=False).ids
        result.append({"name": name, "messages": messages, "add_generation_prompt": generation_prompt,
                       "text": text, "ids": ids})
    return result


def main():
    if not MODEL.is_file():
        sys.exit(f"error: {MODEL.relative_to(REPOSITORY)} is missing; run `make model` first")
    reader = GGUFReader(str(MODEL))
    tokens = field(reader, "tokenizer.ggml.tokens")
    token_types = [int(kind) for kind in field(reader, "tokenizer.ggml.token_type")]
    merges = field(reader, "tokenizer.ggml.merges")
    assert field(reader, "tokenizer.ggml.model") == "gpt2" and field(reader, "tokenizer.ggml.pre") == "smollm"
    # The reference adds no BOS; the file says not to.
    assert field(reader, "tokenizer.ggml.add_bos_token") is False
    ids = {key: field(reader, f"tokenizer.ggml.{key}")
           for key in ["bos_token_id", "eos_token_id", "padding_token_id", "unknown_token_id", "eot_token_id"]}
    ids = {key: int(value) for key, value in ids.items() if value is not None}
    reference = reference_tokenizer(tokens, token_types, merges, tokens[ids["unknown_token_id"]])
    converted = transformers_gguf_tokenizer(reader)
    template = field(reader, "tokenizer.chat_template")
    special = {"bos_token": tokens[ids["bos_token_id"]], "eos_token": tokens[ids["eos_token_id"]],
               "pad_token": tokens[ids["padding_token_id"]], "unk_token": tokens[ids["unknown_token_id"]]}
    references = {
        "made_with": f"gguf {version('gguf')} (GGUFReader), tokenizers {tokenizers.__version__}, "
                     f"transformers {transformers.__version__}, jinja2 {jinja2.__version__}",
        "file": {"path": str(MODEL.relative_to(REPOSITORY)), "bytes": MODEL.stat().st_size},
        "pre_tokenizer": "Sequence[Digits(individual_digits=True), ByteLevel(add_prefix_space=False, "
                         "trim_offsets=True, use_regex=True)]; decoder ByteLevel; control tokens special",
        "token_count": len(tokens),
        "merge_count": len(merges),
        "special_ids": ids,
        "add_bos_token": False,
        "control_tokens": [token for token, kind in zip(tokens, token_types) if kind == CONTROL],
        "user_defined_tokens": [token for token, kind in zip(tokens, token_types) if kind == USER_DEFINED],
        "chat_template": template,
        "encodings": encodings(reference, converted),
        "chats": chats(reference, template, special),
    }
    out = HERE / "references.json"
    out.write_text(json.dumps(references, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    disagreeing = [e["name"] for e in references["encodings"] if not e["transformers_gguf_agrees"]]
    print(f"wrote {out.relative_to(REPOSITORY)}: {len(references['encodings'])} texts, "
          f"{len(references['chats'])} conversations")
    print(f"transformers' GGUF conversion disagrees on {len(disagreeing)} texts: {disagreeing}")


if __name__ == "__main__":
    main()
