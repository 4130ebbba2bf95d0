#!/usr/bin/env python3
"""PyTorch's side of the training benchmarks: the same cases, names and method as cuaderno-bench.

    Benchmarks/torch_env.sh                                    # once: Benchmarks/.venv-torch
    Benchmarks/.venv-torch/bin/python Benchmarks/torch_bench.py [--list | --check]
        [--threads N] [--dtype float64|float32] [CASE-OR-PREFIX ...]

Cases (see Benchmarks/README.md, "Training epochs against PyTorch"):
- classifier-epoch: one epoch of lesson 8's transformer classifier on 8,454 made-up sentences;
- lstm-epoch: one epoch of an Embedding → LSTM(32 → 64) → Linear classifier on the same batches;
- padded-lstm-epoch: (PyTorch only) lstm-epoch without pack_padded_sequence: the LSTM runs over
  every padded position, as Cuaderno's does, and each sentence's last real step is picked out;
- classifier-step: one training step of Benchmarks/cuaderno-bench/ReviewClassifier.swift (vocabulary
  8,872, a batch of 64 sentences of 5 to 40 ids padded to 40, learning rate 10⁻³).
The sentences, batches and initial weights are drawn by np.random.RandomState exactly as
cuaderno-bench draws them with its RandomState, and copied into the torch modules.

--threads N calls torch.set_num_threads(N) (default 1); state the same number for the Swift side
(OPENBLAS_NUM_THREADS). --dtype float64 (default) computes what Cuaderno computes; float32 is what
a PyTorch user gets by default.

--check runs each case once and prints, instead of a time, the epoch's mean loss or, for
classifier-step, the step's loss, with the dropouts off as `cuaderno-bench --check` turns them off:
the same number on both sides, to rounding.

Prints one JSON object mapping each case to {"median_seconds", "runs"}; progress goes to standard
error. The timing is numpy_bench.py's `measure`: warm-up of at least one run and 0.1 s, then
enough runs to fill 0.5 s (at least 5), each timed alone; the median is reported.
"""

import argparse
import json
import math
import sys

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from numpy_bench import measure


# MARK: - The sentences

class EpochSentences:
    """The made-up sentences of one epoch, by the rule of TrainingEpochs.swift's `EpochSentences`:

        random  = RandomState(0)
        z       = random.randn(8454)
        length  = min(64, max(3, floor(exp(3.3 + 0.5·z))))
        ids     = random.randint(2, 4000, Σ length)      cut into the sentences in order
        label   = 1 when more than half of a sentence's ids are ≤ 2000, else 0
        batches = RandomState(1).permutation(8454) cut into 64s, each padded with id 0 to its longest

    math.exp, not np.exp: glibc's exp, which Swift's Foundation.exp also calls, so that no
    length can differ by a last-bit difference in the exponential.
    """
    count = 8454
    vocabulary_size = 4000
    batch_size = 64
    token_count = 247_522

    def __init__(self):
        random = np.random.RandomState(0)
        lengths = [min(64, max(3, math.floor(math.exp(3.3 + 0.5 * z)))) for z in random.randn(self.count)]
        all_ids = random.randint(2, self.vocabulary_size, sum(lengths))
        assert len(all_ids) == self.token_count, f"{len(all_ids)} tokens, expected {self.token_count}"
        starts = np.cumsum([0] + lengths)
        sentences = [all_ids[starts[i]:starts[i + 1]] for i in range(self.count)]
        labels = [int(2 * np.count_nonzero(s <= 2000) > len(s)) for s in sentences]
        order = np.random.RandomState(1).permutation(self.count)
        self.batches = [padded([sentences[i] for i in rows], [labels[i] for i in rows])
                        for rows in (order[start:start + self.batch_size]
                                     for start in range(0, self.count, self.batch_size))]


def padded(sentences, labels, width=None):
    """(ids (b, t) int64, padding (b, t) bool, lengths (b,) int64, labels (b,) int64), padded
    with id 0 to `width` or to the longest sentence."""
    width = width or max(len(s) for s in sentences)
    ids = torch.zeros(len(sentences), width, dtype=torch.int64)
    for row, sentence in enumerate(sentences):
        ids[row, :len(sentence)] = torch.as_tensor(sentence, dtype=torch.int64)
    lengths = torch.tensor([len(s) for s in sentences], dtype=torch.int64)
    padding = torch.arange(width).unsqueeze(0) >= lengths.unsqueeze(1)
    return ids, padding, lengths, torch.tensor(labels, dtype=torch.int64)


# MARK: - Initial weights, drawn as Cuaderno draws them

def draw_linear(random, inputs, outputs):
    """Cuaderno's `Linear(inputs, outputs, random:)`: weight (inputs, outputs) then bias, uniform
    in ±1/√inputs. Returned in PyTorch's layout: weight (outputs, inputs)."""
    bound = 1 / math.sqrt(inputs)
    weight = random.rand(inputs, outputs) * (2 * bound) - bound
    bias = random.rand(outputs) * (2 * bound) - bound
    return weight.T, bias


def copy_linear(layer, weight_and_bias):
    weight, bias = weight_and_bias
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(weight)))
        layer.bias.copy_(torch.from_numpy(bias))


def encoder_layer(random, width, dropout):
    """`nn.TransformerEncoderLayer(width, 4, 4·width, dropout)` (post-LN, ReLU) with the weights of
    Cuaderno's `TransformerEncoderLayer(random:)`: query, key, value, output, expand, contract.

    Cuaderno's layer has three dropouts (attention output, feed-forward hidden, feed-forward
    output); PyTorch's has a fourth, on the attention weights inside `self_attn`, which is set to 0
    here so that both compute the same function."""
    layer = nn.TransformerEncoderLayer(width, 4, 4 * width, dropout=dropout, batch_first=True)
    layer.self_attn.dropout = 0.0
    query, key, value, output = (draw_linear(random, width, width) for _ in range(4))
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(torch.from_numpy(np.concatenate([query[0], key[0], value[0]])))
        layer.self_attn.in_proj_bias.copy_(torch.from_numpy(np.concatenate([query[1], key[1], value[1]])))
    copy_linear(layer.self_attn.out_proj, output)
    copy_linear(layer.linear1, draw_linear(random, width, 4 * width))
    copy_linear(layer.linear2, draw_linear(random, 4 * width, width))
    return layer


def sinusoidal_positions(positions, dimension):
    """NN's `sinusoidalPositionalEncoding`, with the same pow, sin and cos (glibc's)."""
    table = [[0.0] * dimension for _ in range(positions)]
    for position in range(positions):
        for pair in range(dimension // 2):
            angle = position / math.pow(10_000, 2 * pair / dimension)
            table[position][2 * pair] = math.sin(angle)
            table[position][2 * pair + 1] = math.cos(angle)
    return torch.tensor(table, dtype=torch.float64)


# MARK: - The models

class Classifier(nn.Module):
    """Embedding · √d + sinusoidal positions → one encoder layer with the key padding mask →
    masked mean pooling → Linear(d, 2): lesson 8's model, and ReviewClassifier.swift's."""

    def __init__(self, vocabulary_size, max_length, dropout, table_scale, width=32):
        super().__init__()
        random = np.random.RandomState(0)
        self.embedding = nn.Embedding(vocabulary_size, width)
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(random.randn(vocabulary_size, width) * table_scale))
        self.encoder = encoder_layer(random, width, dropout)
        self.head = nn.Linear(width, 2)
        copy_linear(self.head, draw_linear(random, width, 2))
        self.register_buffer("positions", sinusoidal_positions(max_length, width))
        self.scale = math.sqrt(width)

    def forward(self, ids, padding, lengths):
        h = self.embedding(ids) * self.scale + self.positions[:ids.shape[1]]
        h = self.encoder(h, src_key_padding_mask=padding)
        pooled = h.masked_fill(padding.unsqueeze(-1), 0).sum(dim=1) / lengths.unsqueeze(1)
        return self.head(pooled)


class RecurrentClassifier(nn.Module):
    """Embedding(4000, 32) → LSTM(32 → 64) over each sentence's real tokens (packed) → its last
    hidden state → Linear(64, 2): TrainingEpochs.swift's `EpochLSTM`."""

    def __init__(self, vocabulary_size=4000, width=32, hidden=64):
        super().__init__()
        random = np.random.RandomState(0)
        self.embedding = nn.Embedding(vocabulary_size, width)
        self.lstm = nn.LSTM(width, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 2)
        bound = 1 / math.sqrt(hidden)
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(random.randn(vocabulary_size, width)))
            # Cuaderno's order and layout: input weight (32, 4h), hidden weight (h, 4h), then the biases.
            for name, shape in [("weight_ih_l0", (width, 4 * hidden)), ("weight_hh_l0", (hidden, 4 * hidden)),
                                ("bias_ih_l0", (4 * hidden,)), ("bias_hh_l0", (4 * hidden,))]:
                values = random.rand(*shape) * (2 * bound) - bound
                getattr(self.lstm, name).copy_(torch.from_numpy(np.ascontiguousarray(values.T)))
        copy_linear(self.head, draw_linear(random, hidden, 2))

    def forward(self, ids, padding, lengths):
        packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (last_hidden, _) = self.lstm(packed)
        return self.head(last_hidden[0])


class PaddedRecurrentClassifier(RecurrentClassifier):
    """The same model and weights, with the LSTM run over every padded position, as Cuaderno's
    `LSTM.run(_:lengths:)` does, and each sentence's hidden state taken at its last real step: the
    same function as the packed one, with the work of the padded batches."""

    def forward(self, ids, padding, lengths):
        outputs, _ = self.lstm(self.embedding(ids))
        return self.head(outputs[torch.arange(ids.shape[0]), lengths - 1])


# MARK: - Training

def adamw(model, learning_rate):
    return torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)


def train_step(model, optimizer, batch):
    ids, padding, lengths, labels = batch
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(ids, padding, lengths), labels)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    return loss.item()


def train_one_epoch(model, optimizer, batches):
    """The epoch's mean loss."""
    return sum(train_step(model, optimizer, batch) for batch in batches) / len(batches)


def review_batch(random, size=64, max_length=40, vocabulary_size=8872):
    """ReviewClassifier.swift's `ReviewBatch`: lengths in 5…40, ids in 0..<8872, padded to 40."""
    sentences = []
    for _ in range(size):
        length = random.randint(5, max_length + 1)
        sentences.append(random.randint(0, vocabulary_size, length))
    labels = random.randint(0, 2, size).tolist()
    return padded(sentences, labels, width=max_length)


def make_cases(dtype, checking):
    """(name, prepare) where prepare() makes the inputs and returns the body."""
    torch.set_default_dtype(dtype)
    # As in cuaderno-bench: the dropouts are off under --check, so that the losses can agree.
    dropout = 0.0 if checking else 0.1

    def prepare_classifier_epoch():
        batches = EpochSentences().batches
        model = Classifier(EpochSentences.vocabulary_size, 64, dropout, table_scale=1 / math.sqrt(32)).to(dtype)
        optimizer = adamw(model, 2e-3)
        return lambda: train_one_epoch(model, optimizer, batches)

    def prepare_lstm_epoch():
        batches = EpochSentences().batches
        model = RecurrentClassifier().to(dtype)
        optimizer = adamw(model, 2e-3)
        return lambda: train_one_epoch(model, optimizer, batches)

    def prepare_padded_lstm_epoch():
        batches = EpochSentences().batches
        model = PaddedRecurrentClassifier().to(dtype)
        optimizer = adamw(model, 2e-3)
        return lambda: train_one_epoch(model, optimizer, batches)

    def prepare_classifier_step():
        batch = review_batch(np.random.RandomState(0))
        model = Classifier(8872, 40, dropout, table_scale=1.0).to(dtype)
        optimizer = adamw(model, 1e-3)
        return lambda: train_step(model, optimizer, batch)

    return [("classifier-step", prepare_classifier_step),
            ("classifier-epoch", prepare_classifier_epoch),
            ("lstm-epoch", prepare_lstm_epoch),
            ("padded-lstm-epoch", prepare_padded_lstm_epoch)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", metavar="CASE-OR-PREFIX", help="run only these cases")
    parser.add_argument("--list", action="store_true", help="print the case names and stop")
    parser.add_argument("--check", action="store_true", help="print each case's loss instead of a time")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                        help="the parameters' and activations' type (default float64, as Cuaderno)")
    args = parser.parse_args()

    cases = make_cases(getattr(torch, args.dtype), args.check)
    if args.list:
        for name, _ in cases:
            print(name)
        return 0
    for prefix in args.filters:
        if not any(name.startswith(prefix) for name, _ in cases):
            print(f"torch_bench: no case is named or starts with '{prefix}'; see --list", file=sys.stderr)
            return 2
    selected = [c for c in cases if not args.filters or any(c[0].startswith(p) for p in args.filters)]
    torch.set_num_threads(args.threads)
    print(f"torch_bench: torch {torch.__version__}, {torch.get_num_threads()} thread(s), {args.dtype}",
          file=sys.stderr)

    if args.check:
        print(json.dumps({name: prepare()() for name, prepare in selected}, indent=2))
        return 0

    results = {}
    for name, prepare in selected:
        median, runs = measure(prepare())
        results[name] = {"median_seconds": median, "runs": runs}
        print(f"{name}: {median} s ({runs} runs)", file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
