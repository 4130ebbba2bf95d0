#!/usr/bin/env python3
"""Writes references.safetensors: one LoRA fine-tuning step's gradients on all-MiniLM-L6-v2, by PyTorch + PEFT.

    make model                                    # Models/all-MiniLM-L6-v2/
    Benchmarks/torch_env.sh                       # Benchmarks/.venv-torch (torch, numpy)
    Benchmarks/.venv-torch/bin/pip install transformers peft
    Benchmarks/.venv-torch/bin/python Tests/NNTests/Fixtures/bert-lora/make_references.py

The model is Hugging Face's `BertModel` loaded from the model folder (transformers), converted to
float64, in evaluation mode (no dropout), eager attention. PEFT puts rank-4 adapters (lora_alpha 8,
so alpha / r = 2, no LoRA dropout) on the first layer's query and value projections
(`target_modules` = their full names). Their A and B are then set to known values — B non-zero,
so that A's gradient is not zero — and a classification head (384 -> 2) is added on the sentence
embedding, as sentence-transformers computes it:

    e = normalize(mean over real tokens of last_hidden_state)
    loss = cross_entropy(e @ W_head + b_head, labels)          (mean over the batch)

`loss.backward()` gives the gradients of A, B (both adapters) and the head, which the file holds
with the inputs, in Cuaderno's layout: A (inputs, r) = PEFT's lora_A.weight transposed,
B (r, outputs) = lora_B.weight transposed, the head's weight (384, 2).

Tensors (float64 unless said): input_ids, attention_mask (int64, 3 x 12), labels (int64, 3);
`<path>.a`, `<path>.b` for path in encoder.layer.0.attention.self.{query,value}; head.weight,
head.bias; loss (shape ()); `grad.<name>` for each of the six trainable tensors.
Metadata: the versions used, and how far the same step in float32 (PyTorch) is from float64.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from safetensors.numpy import save_file
from transformers import BertModel, BertTokenizerFast

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[3]
MODEL = REPOSITORY / "Models" / "all-MiniLM-L6-v2"

SENTENCES = ["A quietly devastating film.", "The plot makes no sense at all, and the jokes fall flat.", "Dull."]
LABELS = [1, 0, 0]
RANK, ALPHA = 4, 8
TARGETS = ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.value"]


def known_values():
    """A, B (Cuaderno's layout) for each target and the head, drawn from NumPy's RandomState(2026)."""
    random = np.random.RandomState(2026)
    bound = 1 / np.sqrt(384)
    adapters = {}
    for target in TARGETS:
        a = random.uniform(-bound, bound, size=(384, RANK))
        b = random.normal(0, 0.05, size=(RANK, 384))
        adapters[target] = (a, b)
    head_weight = random.normal(0, 0.1, size=(384, 2))
    head_bias = random.normal(0, 0.1, size=(2,))
    return adapters, head_weight, head_bias


def step(dtype, inputs, adapters, head_weight, head_bias):
    """One forward and backward pass; the loss and the six gradients in Cuaderno's layout."""
    base = BertModel.from_pretrained(MODEL, attn_implementation="eager", add_pooling_layer=False).to(dtype)
    base.eval()
    config = LoraConfig(r=RANK, lora_alpha=ALPHA, lora_dropout=0.0, target_modules=TARGETS, bias="none")
    model = get_peft_model(base, config)
    modules = dict(model.base_model.model.named_modules())
    for target, (a, b) in adapters.items():
        layer = modules[target]
        layer.lora_A["default"].weight.data = torch.tensor(a.T, dtype=dtype)
        layer.lora_B["default"].weight.data = torch.tensor(b.T, dtype=dtype)
    weight = torch.tensor(head_weight, dtype=dtype, requires_grad=True)
    bias = torch.tensor(head_bias, dtype=dtype, requires_grad=True)

    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    keep = mask.unsqueeze(-1).to(dtype)
    pooled = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
    embedding = torch.nn.functional.normalize(pooled, p=2, dim=1)
    loss = torch.nn.functional.cross_entropy(embedding @ weight + bias, torch.tensor(LABELS))
    loss.backward()

    gradients = {}
    for target in TARGETS:
        layer = modules[target]
        gradients[f"{target}.a"] = layer.lora_A["default"].weight.grad.T.double().numpy()
        gradients[f"{target}.b"] = layer.lora_B["default"].weight.grad.T.double().numpy()
    gradients["head.weight"] = weight.grad.double().numpy()
    gradients["head.bias"] = bias.grad.double().numpy()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == len(TARGETS) * RANK * (384 + 384), trainable  # only the adapters train
    return loss.item(), gradients


def main():
    torch.manual_seed(0)
    tokenizer = BertTokenizerFast.from_pretrained(MODEL)
    encoded = tokenizer(SENTENCES, padding=True, return_tensors="np")
    inputs = {"input_ids": encoded["input_ids"].astype(np.int64),
              "attention_mask": encoded["attention_mask"].astype(np.int64)}
    adapters, head_weight, head_bias = known_values()

    loss64, gradients64 = step(torch.float64, inputs, adapters, head_weight, head_bias)
    loss32, gradients32 = step(torch.float32, inputs, adapters, head_weight, head_bias)
    float32_gap = {name: float(np.abs(gradients32[name] - gradients64[name]).max()) for name in gradients64}
    largest = {name: float(np.abs(g).max()) for name, g in gradients64.items()}

    tensors = dict(inputs)
    tensors["labels"] = np.array(LABELS, dtype=np.int64)
    for target, (a, b) in adapters.items():
        tensors[f"{target}.a"] = a
        tensors[f"{target}.b"] = b
    tensors["head.weight"] = head_weight
    tensors["head.bias"] = head_bias
    tensors["loss"] = np.array(loss64, dtype=np.float64)
    for name, gradient in gradients64.items():
        tensors[f"grad.{name}"] = np.ascontiguousarray(gradient)

    import peft
    import transformers
    metadata = {
        "versions": f"python {sys.version.split()[0]}, torch {torch.__version__}, transformers {transformers.__version__}, "
                    f"peft {peft.__version__}, numpy {np.__version__}",
        "rank": str(RANK), "alpha": str(ALPHA), "targets": ",".join(TARGETS), "sentences": json.dumps(SENTENCES),
        "float32_loss": repr(loss32), "float32_largest_gradient_difference": json.dumps(float32_gap),
        "largest_gradient": json.dumps(largest),
    }
    save_file(tensors, str(HERE / "references.safetensors"), metadata=metadata)
    print(f"loss {loss64!r} (float32: {loss32!r})")
    for name in gradients64:
        print(f"{name}: largest |gradient| {largest[name]:.3e}, float32 differs by {float32_gap[name]:.3e}")


if __name__ == "__main__":
    main()
