#!/usr/bin/env python3
"""The PyTorch + PEFT side of the `bert-lora-step` case: one LoRA fine-tuning step of all-MiniLM-L6-v2.

    Benchmarks/torch_env.sh                                      # once: Benchmarks/.venv-torch
    Benchmarks/.venv-torch/bin/pip install transformers peft     # once
    Benchmarks/.venv-torch/bin/python Benchmarks/bert_lora_bench.py [--threads N] [--check] [bert-lora-step]

The same step as `BERTLoRAStep` in cuaderno-bench/BERTBatch.swift, as a PyTorch user writes it:
Hugging Face's `BertModel` (float32, its default attention, SDPA) from Models/all-MiniLM-L6-v2,
PEFT's `LoraConfig(r=8, lora_alpha=16, target_modules=["query", "value"], lora_dropout=0)`, the
sentence embedding as sentence-transformers computes it (mean over real tokens, L2-normalised), a
head `Linear(384, 2)`, cross-entropy, `backward()`, `torch.optim.AdamW(lr=1e-3,
weight_decay=0.01)` on the adapters and the head. The batch: the 16 sentences of bert_batch.txt
through the model's tokenizer, cut or padded to 32 tokens. Training mode: dropout 0.1 on the
hidden states and the attention weights (each side draws its own masks).

The initial values are Cuaderno's: A of each adapter from NumPy's RandomState(0) (Cuaderno's
`RandomState(seed: 0)` draws the same numbers), uniform in ±1/√384, in the order layer 0 query,
layer 0 value, layer 1 query, …; B zero; the head from RandomState(1) as `Linear(384, 2)` draws it.
`--check` turns dropout off and prints the second step's loss (the first does not depend on A),
which `cuaderno-bench --check bert-lora-step` prints too. Timing as numpy_bench.py's `measure`.
"""
import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402
from transformers import BertModel, BertTokenizerFast  # noqa: E402
from transformers.utils import logging as transformers_logging  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from numpy_bench import measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "Models" / "all-MiniLM-L6-v2"
LABELS = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0]


class LoRAStep:
    def __init__(self, dropout):
        transformers_logging.set_verbosity_error()
        tokenizer = BertTokenizerFast.from_pretrained(MODEL)
        sentences = (ROOT / "Benchmarks" / "bert_batch.txt").read_text().splitlines()
        encoded = tokenizer(sentences, padding="max_length", truncation=True, max_length=32, return_tensors="pt")
        self.ids, self.mask = encoded["input_ids"], encoded["attention_mask"]
        self.labels = torch.tensor(LABELS)

        base = BertModel.from_pretrained(MODEL, add_pooling_layer=False)
        config = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["query", "value"], bias="none")
        self.model = get_peft_model(base, config)
        random = np.random.RandomState(0)
        bound = 1 / np.sqrt(384)
        for name, module in self.model.base_model.model.named_modules():
            if name.endswith(("attention.self.query", "attention.self.value")):
                a = random.random_sample((384, 8)) * (2 * bound) - bound
                module.lora_A["default"].weight.data = torch.tensor(a.T, dtype=torch.float32)
                module.lora_B["default"].weight.data.zero_()
        head_random = np.random.RandomState(1)
        weight = head_random.random_sample((384, 2)) * (2 * bound) - bound
        bias = head_random.random_sample(2) * (2 * bound) - bound
        self.head = torch.nn.Linear(384, 2)
        self.head.weight.data = torch.tensor(weight.T, dtype=torch.float32)
        self.head.bias.data = torch.tensor(bias, dtype=torch.float32)
        parameters = [p for p in self.model.parameters() if p.requires_grad] + list(self.head.parameters())
        self.optimizer = torch.optim.AdamW(parameters, lr=1e-3, weight_decay=0.01)
        self.model.train(dropout)

    def __call__(self):
        self.optimizer.zero_grad()
        hidden = self.model(input_ids=self.ids, attention_mask=self.mask).last_hidden_state
        keep = self.mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
        embedding = torch.nn.functional.normalize(pooled, p=2, dim=1)
        loss = torch.nn.functional.cross_entropy(self.head(embedding), self.labels)
        loss.backward()
        self.optimizer.step()
        return loss.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", metavar="CASE-OR-PREFIX", help="run only these cases")
    parser.add_argument("--list", action="store_true", help="print the case names and stop")
    parser.add_argument("--check", action="store_true", help="print the second step's loss instead of a time")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads")
    args = parser.parse_args()
    if args.list:
        print("bert-lora-step")
        return 0
    for prefix in args.filters:
        if not "bert-lora-step".startswith(prefix):
            print(f"bert_lora_bench: no case is named or starts with '{prefix}'; see --list", file=sys.stderr)
            return 2
    torch.set_num_threads(args.threads)
    import peft
    import transformers
    print(f"bert_lora_bench: torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
          f"{torch.get_num_threads()} thread(s)", file=sys.stderr)
    step = LoRAStep(dropout=not args.check)
    if args.check:
        step()
        print(json.dumps({"bert-lora-step": step()}, indent=2))
        return 0
    median, runs = measure(step)
    print(f"bert-lora-step: {median} s ({runs} runs)", file=sys.stderr)
    print(json.dumps({"bert-lora-step": {"median_seconds": median, "runs": runs}}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
