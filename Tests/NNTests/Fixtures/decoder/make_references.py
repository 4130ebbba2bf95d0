#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's TransformerDecoderLayer is tested against: PyTorch's
own nn.TransformerDecoderLayer, run in float64.

    Benchmarks/torch_env.sh     # once: PyTorch in its own environment, Benchmarks/.venv-torch
    Benchmarks/.venv-torch/bin/python Tests/NNTests/Fixtures/decoder/make_references.py

For post-LN and pre-LN (norm_first) blocks with dropout 0, batch_first=True, d = 8, 2 heads and a
feed-forward width of 16, the script draws a target (2, 5, 8) and a memory (2, 7, 8), runs the
block with the target's causal mask (generate_square_subsequent_mask) and a memory key padding
mask (the second memory's last two positions), and writes every weight under PyTorch's names,
the inputs, the output, and the gradients of sum(output * weights) with respect to the target,
the memory and every parameter. The tests load the weights into Cuaderno's layer (transposing
the projections: Cuaderno's Linear stores (inputs, outputs)) and compare.
"""
import json
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent


def stored(tensor):
    t = tensor.detach().to(torch.float64)
    return dict(shape=list(t.shape), data=t.reshape(-1).tolist())


def case(norm_first, seed):
    torch.manual_seed(seed)
    layer = nn.TransformerDecoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True,
                                       norm_first=norm_first, dtype=torch.float64)
    # LayerNorms start at 1 and 0; give them values of their own so that a swapped scale and shift shows.
    with torch.no_grad():
        for norm in (layer.norm1, layer.norm2, layer.norm3):
            norm.weight.copy_(1 + 0.1 * torch.randn(8, dtype=torch.float64))
            norm.bias.copy_(0.1 * torch.randn(8, dtype=torch.float64))
    layer.eval()
    target = torch.randn(2, 5, 8, dtype=torch.float64, requires_grad=True)
    memory = torch.randn(2, 7, 8, dtype=torch.float64, requires_grad=True)
    memory_padding = torch.zeros(2, 7, dtype=torch.bool)
    memory_padding[1, 5:] = True
    causal = nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
    output = layer(target, memory, tgt_mask=causal, memory_key_padding_mask=memory_padding, tgt_is_causal=True)
    loss_weights = torch.randn(2, 5, 8, dtype=torch.float64)
    (output * loss_weights).sum().backward()
    return dict(
        name=("pre-LN" if norm_first else "post-LN"), norm_first=norm_first,
        parameters={name: stored(p) for name, p in layer.named_parameters()},
        gradients={name: stored(p.grad) for name, p in layer.named_parameters()},
        target=stored(target), memory=stored(memory),
        memory_padding=memory_padding.reshape(-1).tolist(),
        output=stored(output), loss_weights=stored(loss_weights),
        target_gradient=stored(target.grad), memory_gradient=stored(memory.grad),
    )


def main():
    cases = [case(False, 0), case(True, 1)]
    (HERE / "references.json").write_text(json.dumps(dict(torch=torch.__version__, cases=cases)) + "\n")
    print(f"wrote {len(cases)} cases to {HERE / 'references.json'} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
