#!/usr/bin/env python3
"""Writes tokens.json and model.json, the references Cuaderno's BERT is tested against.

    make model                                            # fetches Models/all-MiniLM-L6-v2/
    python3 Tests/NNTests/Fixtures/bert/make_references.py

The model is all-MiniLM-L6-v2 (README.md beside this file; Models/README.md). Two references:

- tokens.json: what Hugging Face's `tokenizers` makes of ~30 tricky inputs, loading the model's
  own tokenizer.json. It is the reference implementation of the tokenizer, so it is used as is.
- model.json: a forward pass written here in plain NumPy from config.json and the BERT paper
  (Devlin et al. 2019, arXiv:1810.04805; post-LayerNorm blocks of Vaswani et al. 2017), in
  float64 from the float32 weights, read with safetensors.numpy. No torch, transformers or
  sentence-transformers: the numbers come from code one can read here, and cross_check.py
  compares them with the sentence-transformers package separately.

Installs numpy, safetensors and tokenizers with pip when one is missing.
"""
import hashlib
import importlib
import json
import math
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[3]
MODEL = REPOSITORY / "Models" / "all-MiniLM-L6-v2"

# The versions the committed fixtures were made with; installed when a module is missing.
REQUIREMENTS = {"numpy": "numpy==2.4.6", "safetensors": "safetensors==0.8.0",
                "tokenizers": "tokenizers==0.23.3"}


def require(module):
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"Installing {REQUIREMENTS[module]} with pip…", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", REQUIREMENTS[module]],
                       check=True)
        return importlib.import_module(module)


np = require("numpy")
require("safetensors")
require("tokenizers")
from safetensors.numpy import load_file  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402


# ---------------------------------------------------------------- tokenizer references

# (name, text): each exercises one rule of BERT's tokenizer (BertNormalizer, then
# BertPreTokenizer, then WordPiece, then [CLS] … [SEP]).
TOKEN_CASES = [
    ("plain sentence", "The quick brown fox jumps over the lazy dog."),
    ("upper case", "HELLO WORLD, THIS IS BERT."),
    ("accents, composed", "Café crème"),
    ("accents, two words", "naïve résumé"),
    ("accents, capital tilde", "Ñandú"),
    ("accents, capital umlaut", "Über"),
    ("accent as a combining mark (e + U+0301)", "Cafe\u0301 cre\u0300me"),
    ("Spanish question and exclamation", "¿Dónde está la biblioteca? ¡Vamos, señorita!"),
    ("Cyrillic, й loses its breve", "Привет, мой мир"),
    ("dotted capital I", "İstanbul"),
    ("punctuation runs", "Hello,world!!"),
    ("abbreviation e.g.", "e.g."),
    ("abbreviation U.S.A.", "U.S.A."),
    ("apostrophe", "don't"),
    ("decimal number", "3.14"),
    ("hyphen and underscore", "a-b_c"),
    ("money and model names", "iPhone 15 Pro costs $999.99 (20% off)"),
    ("emoji", "I love pizza 🍕 and 🚀!"),
    ("CJK characters, one token each", "我爱自然语言处理"),
    ("CJK mixed with Latin", "東京 is Tokyo"),
    ("Japanese kana, the voicing mark of が is stripped", "こんにちは、がっこう"),
    ("Korean Hangul, decomposed into jamo", "한국어"),
    ("rare symbols", "∑ ∫ ⊕ ☃ ℵ"),
    ("long word, ## pieces", "unbelievably"),
    ("made-up word", "transformerization"),
    ("very long word", "antidisestablishmentarianism"),
    ("longest English word", "Pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("word of exactly 100 characters", "a" * 100),
    ("word of 101 characters (max_input_chars_per_word = 100)", "b" * 101),
    ("whitespace variety: tab, newline, CR, spaces, no-break space",
     "tabs\there\nnew line\r\nmany    spaces\u00a0no-break"),
    ("control characters: NUL, BEL, zero-width space, U+FFFD, soft hyphen",
     "a\u0000b\u0007c d\u200be f\ufffdg soft\u00adhyphen"),
    ("special token written in the text", "Paris is the [MASK] of France."),
    ("empty string", ""),
]


def tokenizer_settings(tokenizer_file):
    """The parts of tokenizer.json the references rely on, copied from the file."""
    spec = json.loads(tokenizer_file.read_text())
    model = spec["model"]
    return {
        "normalizer": spec["normalizer"],
        "pre_tokenizer": spec["pre_tokenizer"],
        "model": {key: model[key] for key in
                  ("type", "unk_token", "continuing_subword_prefix", "max_input_chars_per_word")},
        "vocab_size": len(model["vocab"]),
        "post_processor_single": spec["post_processor"]["single"],
        "added_tokens": [{"id": token["id"], "content": token["content"]}
                         for token in spec["added_tokens"]],
        "truncation_in_file": spec["truncation"],
        "padding_in_file": spec["padding"],
        "notes": [
            "The normaliser's steps, in this order: clean_text, handle_chinese_chars, "
            "strip_accents, lowercase.",
            "clean_text removes U+0000, U+FFFD and every character of Unicode's 'other' categories "
            "(Cc, Cf, Cn, Co, Cs: controls, zero-width space, soft hyphen …) except tab, newline "
            "and carriage return, and turns every whitespace character (those three and Unicode "
            "White_Space, such as the no-break space) into a plain space.",
            "handle_chinese_chars puts spaces around each CJK ideograph (U+4E00–9FFF, U+3400–4DBF, "
            "U+F900–FAFF, U+20000–2A6DF, U+2A700–2B81F, U+2B920–2CEAF, U+2F800–2FA1F), so each is "
            "its own word; kana and Hangul are not in these ranges.",
            "strip_accents is null, so it follows lowercase (true): the text is NFD-decomposed and "
            "nonspacing marks (category Mn) are removed, before lower-casing. The text is not "
            "recomposed: Hangul syllables stay split into their jamo.",
            "A word longer than max_input_chars_per_word characters becomes one [UNK].",
            "The added tokens ([PAD] [UNK] [CLS] [SEP] [MASK]) are matched in the raw text before "
            "normalisation: '[MASK]' written in the text becomes id 103.",
            "tokenizer.json also asks for truncation to 128 and padding to 128; the references "
            "turn both off (no_truncation, no_padding) to show the tokens alone. "
            "sentence-transformers truncates at max_seq_length 256 (sentence_bert_config.json).",
        ],
    }


def token_references(vocabulary):
    tokenizer_file = MODEL / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cases = []
    for name, text in TOKEN_CASES:
        encoding = tokenizer.encode(text)
        for token_id, token in zip(encoding.ids, encoding.tokens):
            assert vocabulary[token_id] == token, (text, token_id, token)  # vocab.txt agrees
        assert encoding.ids[0] == 101 and encoding.ids[-1] == 102, text
        cases.append({"name": name, "text": text, "ids": encoding.ids, "tokens": encoding.tokens})
    return {
        "about": "Token ids and strings from Hugging Face tokenizers, Tokenizer.from_file on the "
                 "model's tokenizer.json, encode(text) with special tokens; made by "
                 "make_references.py.",
        "tokenizers_version": importlib.import_module("tokenizers").__version__,
        "tokenizer_json_sha256": sha256_of(tokenizer_file),
        "settings": tokenizer_settings(tokenizer_file),
        "cases": cases,
    }, tokenizer


# ---------------------------------------------------------------- the forward pass

# Added to the attention score of a padding key. exp of it underflows to exactly 0 in float64, so a
# padded sentence gets the very weights of the unpadded one (the original BERT used -10000, which
# leaves ~e^-10000 ≈ 0 as well; transformers uses the dtype's most negative number).
MASKED_SCORE = -1e9


def linear(x, weights, name):
    """y = x Wᵀ + b, with W stored (out, in) as PyTorch does."""
    return x @ weights[f"{name}.weight"].T + weights[f"{name}.bias"]


def layer_norm(x, weights, name, eps):
    """(x − mean) / √(variance + eps) · γ + β over the last axis, the biased variance (divides by n)."""
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weights[f"{name}.weight"] + weights[f"{name}.bias"]


_erf = np.frompyfunc(math.erf, 1, 1)


def gelu(x):
    """The exact GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)) (config: hidden_act "gelu", not the tanh one).

    NumPy has no erf; math.erf element by element is exact to a double.
    """
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def softmax(scores):
    """Softmax over the last axis; subtracting the row's maximum keeps exp from overflowing."""
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def self_attention(x, mask, weights, prefix, heads):
    """Multi-head self-attention on x (batch, T, d) with mask (batch, T) of 1 for tokens, 0 for padding.

    Returns the output (batch, T, d) and the attention weights (batch, heads, T, T).
    """
    batch, length, width = x.shape
    head_width = width // heads

    def split(y):  # (batch, T, d) → (batch, heads, T, d/heads)
        return y.reshape(batch, length, heads, head_width).transpose(0, 2, 1, 3)

    query = split(linear(x, weights, f"{prefix}.query"))
    key = split(linear(x, weights, f"{prefix}.key"))
    value = split(linear(x, weights, f"{prefix}.value"))
    scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(head_width)
    scores = scores + np.where(mask[:, None, None, :] > 0, 0.0, MASKED_SCORE)
    attention = softmax(scores)
    context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
    return context, attention


def forward(ids, mask, weights, config):
    """BERT's encoder on ids (batch, T) with mask (batch, T).

    Returns the hidden states [embeddings, after layer 1, …, after layer L], each (batch, T, d),
    and the attention weights of each layer, each (batch, heads, T, T).
    """
    eps = config["layer_norm_eps"]
    length = ids.shape[1]
    embedded = (weights["embeddings.word_embeddings.weight"][ids]
                + weights["embeddings.position_embeddings.weight"][np.arange(length)][None]
                + weights["embeddings.token_type_embeddings.weight"][0])  # one segment: type 0
    x = layer_norm(embedded, weights, "embeddings.LayerNorm", eps)
    states, attentions = [x], []
    for index in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{index}"
        context, attention = self_attention(x, mask, weights, f"{prefix}.attention.self",
                                            config["num_attention_heads"])
        x = layer_norm(x + linear(context, weights, f"{prefix}.attention.output.dense"),
                       weights, f"{prefix}.attention.output.LayerNorm", eps)
        inner = gelu(linear(x, weights, f"{prefix}.intermediate.dense"))
        x = layer_norm(x + linear(inner, weights, f"{prefix}.output.dense"),
                       weights, f"{prefix}.output.LayerNorm", eps)
        states.append(x)
        attentions.append(attention)
    return states, attentions


def sentence_embeddings(hidden, mask):
    """Mean of the token vectors where mask is 1 (1_Pooling/config.json), then L2-normalised
    (modules.json's Normalize), as sentence-transformers does: sum / max(count, 1e-9), x / max(‖x‖, 1e-12)."""
    mask = mask[:, :, None].astype(np.float64)
    mean = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)


# ---------------------------------------------------------------- model references

SENTENCES = [
    "The cat sat on the mat.",
    "A cat was sitting on a rug.",
    "The stock market fell sharply today.",
    "Investors sold shares as prices dropped.",
    "El gato duerme en la alfombra.",
    "Attention lets every word in a sentence look at all the other words, so that the model can "
    "learn which of its neighbours matter most to its meaning.",  # 32 tokens with [CLS] and [SEP]
]
ATTENTION_SENTENCES = (0, 5)  # full matrices for these two sentences …
ATTENTION_HEADS = ((0, 0), (2, 5), (5, 11))  # … at these (layer, head), counted from 0
PADDED_BATCH = (0, 5)  # run together, padded to the longer one
FIRST = 8  # how many numbers of a hidden vector to store


def parameter_counts(weights, config):
    def count(prefix):
        return sum(int(array.size) for name, array in weights.items()
                   if name.startswith(prefix) and name != "embeddings.position_ids")

    layers = [count(f"encoder.layer.{index}.") for index in range(config["num_hidden_layers"])]
    counts = {"embeddings": count("embeddings."), "encoder_layers": layers,
              "pooler": count("pooler."),
              "note": "embeddings.position_ids (int64, 0…511) is a buffer, not a parameter, and is "
                      "not counted; the pooler (dense + tanh on [CLS]) is in the file but "
                      "sentence-transformers does not use it."}
    counts["total"] = counts["embeddings"] + sum(layers) + counts["pooler"]
    assert counts["total"] == sum(int(a.size) for n, a in weights.items()
                                  if n != "embeddings.position_ids")
    return counts


def floats(array):
    """A list of Python floats: json writes each with repr, the shortest text that reads back exactly."""
    return np.asarray(array, dtype=np.float64).tolist()


def model_references(tokenizer, weights, stored, config):
    encodings = [tokenizer.encode(text) for text in SENTENCES]
    runs = []
    for encoding in encodings:
        ids = np.array([encoding.ids])
        states, attentions = forward(ids, np.ones_like(ids), weights, config)
        runs.append((ids, states, attentions))
    embeddings = np.array([sentence_embeddings(states[-1], np.ones_like(ids))[0]
                           for ids, states, _ in runs])

    sentences = []
    for index, (text, encoding, (ids, states, attentions)) in enumerate(zip(SENTENCES, encodings, runs)):
        last = states[-1][0]
        entry = {"text": text, "ids": encoding.ids, "tokens": encoding.tokens,
                 "embedding": floats(embeddings[index]),
                 "last_hidden_first_token_first8": floats(last[0, :FIRST]),
                 "last_hidden_last_token_first8": floats(last[-1, :FIRST]),
                 "hidden_states_first_token_first8": [floats(state[0, 0, :FIRST]) for state in states]}
        if index in ATTENTION_SENTENCES:
            entry["attention"] = [{"layer": layer, "head": head,
                                   "weights": floats(attentions[layer][0, head])}
                                  for layer, head in ATTENTION_HEADS]
        sentences.append(entry)

    batch_ids, batch_mask, batch_embeddings, difference = padded_batch(encodings, embeddings,
                                                                       weights, config)
    return {
        "about": "A NumPy forward pass of all-MiniLM-L6-v2 (BERT, post-LayerNorm, exact GELU) in "
                 "float64 from the float32 weights; mean pooling over the attention mask, then L2 "
                 "normalisation. Made by make_references.py.",
        "versions": {"numpy": np.__version__,
                     "safetensors": importlib.import_module("safetensors").__version__,
                     "tokenizers": importlib.import_module("tokenizers").__version__,
                     "python": sys.version.split()[0]},
        "model_safetensors_sha256": sha256_of(MODEL / "model.safetensors"),
        "config": config,
        "computation": {
            "dtype": "float64 (weights are float32 in the file, converted exactly)",
            "embeddings": "word[id] + position[index] + token_type[0], then LayerNorm(eps = layer_norm_eps)",
            "attention_scale": 1 / math.sqrt(config["hidden_size"] // config["num_attention_heads"]),
            "masked_score": MASKED_SCORE,
            "gelu": "exact: x/2 · (1 + erf(x/√2))",
            "layer_norm": "biased variance (divides by n), eps inside the square root",
            "pooling": "mean over tokens where the mask is 1, then x / max(‖x‖₂, 1e-12)",
            "hidden_states": "hidden_states_first_token_first8[0] is the embeddings' output, "
                             "[i] the output of layer i (1…6); last_hidden_* is [6]",
            "attention": "weights[query][key] after softmax, for (layer, head) counted from 0",
        },
        "tensors": {name: {"shape": list(array.shape), "dtype": str(array.dtype)}
                    for name, array in sorted(stored.items())},
        "parameter_counts": parameter_counts(weights, config),
        "sentences": sentences,
        "cosine_similarity": floats(embeddings @ embeddings.T),
        "padded_batch": {
            "sentences": list(PADDED_BATCH),
            "input_ids": batch_ids.tolist(),
            "attention_mask": batch_mask.tolist(),
            "embeddings": floats(batch_embeddings),
            "max_abs_difference_from_unpadded": difference,
            "note": "Padding id 0 ([PAD]) at the right, mask 0 there; the embeddings equal the "
                    "unpadded sentences' ones (sentences[i].embedding) to rounding.",
        },
    }


def padded_batch(encodings, embeddings, weights, config):
    chosen = [encodings[index].ids for index in PADDED_BATCH]
    length = max(len(ids) for ids in chosen)
    batch_ids = np.zeros((len(chosen), length), dtype=np.int64)
    batch_mask = np.zeros((len(chosen), length), dtype=np.int64)
    for row, ids in enumerate(chosen):
        batch_ids[row, :len(ids)] = ids
        batch_mask[row, :len(ids)] = 1
    assert len(set(len(ids) for ids in chosen)) > 1, "the batch needs sentences of different lengths"
    states, _ = forward(batch_ids, batch_mask, weights, config)
    batch_embeddings = sentence_embeddings(states[-1], batch_mask)
    difference = float(np.abs(batch_embeddings - embeddings[list(PADDED_BATCH)]).max())
    assert difference < 1e-12, difference
    return batch_ids, batch_mask, batch_embeddings, difference


def time_forward(ids, weights, config, repeats=20):
    """The median time of one forward pass (no pooling, no loading), in milliseconds."""
    ids = np.array([ids])
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        forward(ids, np.ones_like(ids), weights, config)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2] * 1000


# ---------------------------------------------------------------- files

def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json(name, value):
    path = HERE / name
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(REPOSITORY)} ({path.stat().st_size / 1000:.0f} KB)")


def main():
    if not (MODEL / "model.safetensors").is_file():
        sys.exit(f"error: {MODEL.relative_to(REPOSITORY)}/ is missing; run `make model` first.")
    vocabulary = (MODEL / "vocab.txt").read_text(encoding="utf-8").split("\n")
    tokens, tokenizer = token_references(vocabulary)
    write_json("tokens.json", tokens)

    config = json.loads((MODEL / "config.json").read_text())
    stored = load_file(str(MODEL / "model.safetensors"))
    weights = {name: (array.astype(np.float64) if array.dtype == np.float32 else array)
               for name, array in stored.items()}
    write_json("model.json", model_references(tokenizer, weights, stored, config))

    longest = max((tokenizer.encode(text).ids for text in SENTENCES), key=len)
    milliseconds = time_forward(longest, weights, config)
    print(f"NumPy float64 forward pass, {len(longest)} tokens: {milliseconds:.1f} ms (median of 20)")


if __name__ == "__main__":
    main()
