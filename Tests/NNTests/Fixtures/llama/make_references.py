#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's LlamaModel is tested against: SmolLM2-135M-Instruct's
logits and greedy continuation, from a forward pass written here in NumPy.

    make model                                                  # Models/SmolLM2-135M-Instruct/
    Benchmarks/llama_env.sh                                     # only to tokenise the prompts again
    Benchmarks/.venv-llama/bin/python Tests/NNTests/Fixtures/llama/tokenize_prompts.py
    python3 Tests/NNTests/Fixtures/llama/make_references.py

The forward pass is the Llama equations, written from the papers and the GGUF metadata, not from
Cuaderno's code or llama.cpp's: RMSNorm (Zhang & Sennrich, 2019), rotary position embeddings (Su et
al., 2021) on adjacent pairs (x[2i], x[2i+1]) — the GGUF converter permuted the query and key
weights so that llama.cpp's "normal" rope is the model's rotation —, grouped-query attention
(Ainslie et al., 2023; query head h reads key/value head h // (heads / kv_heads)), a causal mask,
SwiGLU (Shazeer, 2020), a final RMSNorm, and the token embedding as the output projection (the
file has no output.weight). The weights are the `gguf` package's `dequantize` (float32 values,
exactly the numbers the blocks encode), and every operation is float64: these are the model's
logits with the least rounding we can give, the reference Cuaderno's float32 and int8 paths are
measured against.

The prompts' token ids come from `prompts.json`, which `tokenize_prompts.py` writes with
llama.cpp's own tokenizer (llama-cpp-python 0.3.36); the tests use ids, not text.

The script runs in a private virtual environment with gguf==0.19.0 (Fixtures/gguf_environment.py,
shared with Fixtures/gguf/make_references.py), which it makes and re-runs itself in when the
package is missing. It writes the same bytes on every run.
"""
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[3]
MODEL = REPOSITORY / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"

TOP = 20                 # top logits recorded per position
LAST_STRIDE = 128        # every 128th logit of the last position: 384 values
GREEDY_TOKENS = 20

# Loaded by its path: with Fixtures/ on sys.path, the folder Fixtures/gguf would pass for the package.
_spec = importlib.util.spec_from_file_location("gguf_environment", HERE.parent / "gguf_environment.py")
gguf_environment = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gguf_environment)
REQUIREMENT = gguf_environment.REQUIREMENT
gguf_environment.ensure_gguf(__file__)
import numpy as np  # noqa: E402
from gguf import GGUFReader  # noqa: E402
from gguf.quants import dequantize  # noqa: E402


class Model:
    """SmolLM2's weights as float64 arrays, row-major: a matrix maps x to W @ x."""

    def __init__(self, path):
        reader = GGUFReader(str(path))
        fields = reader.fields
        assert fields["general.architecture"].contents() == "llama"
        self.layers = int(fields["llama.block_count"].contents())
        self.heads = int(fields["llama.attention.head_count"].contents())
        self.kv_heads = int(fields["llama.attention.head_count_kv"].contents())
        self.dim = int(fields["llama.embedding_length"].contents())
        self.head_dim = self.dim // self.heads
        self.eps = float(fields["llama.attention.layer_norm_rms_epsilon"].contents())
        self.base = float(fields["llama.rope.freq_base"].contents())
        tensors = {t.name: t for t in reader.tensors}
        self.types = {name: t.tensor_type.name for name, t in tensors.items()}

        def weight(name):
            values = dequantize(tensors[name].data, tensors[name].tensor_type)
            assert values.dtype == np.float32
            return values.astype(np.float64)

        self.weight = weight
        self.embedding = weight("token_embd.weight")          # (vocabulary, dim)
        self.output_norm = weight("output_norm.weight")
        assert "output.weight" not in tensors                   # tied: the output is the embedding

    def rms_norm(self, x, w):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * w

    def rope(self, x, positions):
        """Rotates each adjacent pair (x[2i], x[2i+1]) of every head by positions · base^(-2i/head_dim)."""
        half = self.head_dim // 2
        frequencies = self.base ** (-2.0 * np.arange(half) / self.head_dim)
        angles = positions[:, None] * frequencies[None, :]           # (tokens, half)
        cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
        even, odd = x[..., 0::2], x[..., 1::2]                         # (tokens, heads, half)
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    def hidden(self, ids, attention_of=None):
        """The final hidden states (tokens, dim); with attention_of=(layer, head), also that head's
        attention probabilities (tokens, tokens)."""
        t = len(ids)
        positions = np.arange(t, dtype=np.float64)
        x = self.embedding[ids]
        group = self.heads // self.kv_heads
        causal = np.triu(np.full((t, t), -np.inf), k=1)
        probabilities_of = None
        for layer in range(self.layers):
            w = lambda name: self.weight(f"blk.{layer}.{name}.weight")  # noqa: E731
            h = self.rms_norm(x, w("attn_norm"))
            q = (h @ w("attn_q").T).reshape(t, self.heads, self.head_dim)
            k = (h @ w("attn_k").T).reshape(t, self.kv_heads, self.head_dim)
            v = (h @ w("attn_v").T).reshape(t, self.kv_heads, self.head_dim)
            q, k = self.rope(q, positions), self.rope(k, positions)
            heads = []
            for head in range(self.heads):
                kv = head // group
                scores = q[:, head, :] @ k[:, kv, :].T / np.sqrt(self.head_dim) + causal
                scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
                probabilities = scores / scores.sum(axis=-1, keepdims=True)
                if attention_of == (layer, head):
                    probabilities_of = probabilities
                heads.append(probabilities @ v[:, kv, :])
            x = x + np.concatenate(heads, axis=-1) @ w("attn_output").T
            h = self.rms_norm(x, w("ffn_norm"))
            gate, up = h @ w("ffn_gate").T, h @ w("ffn_up").T
            x = x + (gate / (1 + np.exp(-gate)) * up) @ w("ffn_down").T
        return self.rms_norm(x, self.output_norm), probabilities_of

    def logits(self, hidden):
        return hidden @ self.embedding.T


def top(logits, n=TOP):
    order = np.argsort(-logits, kind="stable")[:n]
    return {"ids": [int(i) for i in order], "values": [float(logits[i]) for i in order]}


def main():
    if not MODEL.is_file():
        sys.exit(f"error: {MODEL.relative_to(REPOSITORY)} is missing; run `make model` first")
    prompts = json.loads((HERE / "prompts.json").read_text(encoding="utf-8"))
    model = Model(MODEL)

    # Logits: every position's top 20, and a stride of the last position's whole row.
    text = prompts["logits"]
    attention_of = (prompts["attention"]["layer"], prompts["attention"]["head"])
    hidden, attention = model.hidden(text["ids"], attention_of)
    logits = model.logits(hidden)
    last = logits[-1]

    # Greedy decoding without a cache: the whole sequence again for each new token.
    greedy = prompts["greedy"]
    ids = list(greedy["ids"])
    generated, margins = [], []
    for _ in range(GREEDY_TOKENS):
        hidden_g, _ = model.hidden(ids)
        next_logits = model.logits(hidden_g[-1])
        order = np.argsort(-next_logits, kind="stable")
        generated.append(int(order[0]))
        # How far the winner leads: a test that disagrees on a near tie is told so.
        margins.append(float(next_logits[order[0]] - next_logits[order[1]]))
        ids.append(int(order[0]))

    references = {
        "made_with": f"{REQUIREMENT} (GGUFReader, gguf.quants.dequantize), NumPy {np.__version__}, float64",
        "file": str(MODEL.relative_to(REPOSITORY)),
        "logits": {
            "text": text["text"],
            "ids": text["ids"],
            "top": [top(row) for row in logits],
            "last_stride": LAST_STRIDE,
            "last_strided": [float(v) for v in last[::LAST_STRIDE]],
            "last_max_abs": float(np.abs(last).max()),
        },
        "attention": {"layer": attention_of[0], "head": attention_of[1],
                      "probabilities": {"shape": list(attention.shape),
                                        "data": [float(v) for v in attention.reshape(-1)]}},
        "greedy": {"text": greedy["text"], "ids": greedy["ids"], "generated": generated,
                   "margins": margins},
    }
    out = HERE / "references.json"
    out.write_text(json.dumps(references, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPOSITORY)} ({out.stat().st_size} bytes); greedy: {generated}")


if __name__ == "__main__":
    main()
