#!/usr/bin/env python3
"""Writes prompts.json: the token ids of the prompts the llama references use, from llama.cpp's own
tokenizer (llama-cpp-python 0.3.36, reading the tokenizer stored in the GGUF file).

    Benchmarks/llama_env.sh
    Benchmarks/.venv-llama/bin/python Tests/NNTests/Fixtures/llama/tokenize_prompts.py

SmolLM2's GGUF says `tokenizer.ggml.add_bos_token = false`, so no <|endoftext|> is put in front.
The tests use the ids only (Cuaderno's own GGUF tokenizer is tested on its own).
"""
import json
from pathlib import Path

from llama_cpp import Llama, __version__

HERE = Path(__file__).resolve().parent
MODEL = HERE.parents[3] / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"

LOGITS_TEXT = ("The capital of France is Paris. The capital of Germany is Berlin. "
               "Rivers flow into the sea, and the tallest mountain in Europe is")
GREEDY_TEXT = "The capital of France is"
# The head whose attention map the tests compare (a lesson draws one like it).
ATTENTION = {"layer": 3, "head": 4}


def main():
    llm = Llama(model_path=str(MODEL), vocab_only=True, verbose=False)

    def ids(text):
        return llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)

    prompts = {
        "made_with": f"llama-cpp-python {__version__} (Llama.tokenize, add_bos=False)",
        "logits": {"text": LOGITS_TEXT, "ids": ids(LOGITS_TEXT)},
        "greedy": {"text": GREEDY_TEXT, "ids": ids(GREEDY_TEXT)},
        "attention": ATTENTION,
    }
    out = HERE / "prompts.json"
    out.write_text(json.dumps(prompts, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(prompts['logits']['ids'])} and {len(prompts['greedy']['ids'])} tokens")


if __name__ == "__main__":
    main()
