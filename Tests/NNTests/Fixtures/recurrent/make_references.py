#!/usr/bin/env python3
"""Writes references.json, the references Cuaderno's RNN, LSTM and GRU are tested against.

    python3 Tests/NNTests/Fixtures/recurrent/make_references.py       (NumPy; made with NumPy 2.4.6)

The three cells are written here in float64 NumPy from the equations in PyTorch's documentation
(torch.nn.RNN with tanh, torch.nn.LSTM, torch.nn.GRU; docs.pytorch.org/docs/stable/generated/),
with weights in PyTorch's layout, forward and backward (backpropagation through time by hand).
Every hand-written gradient is checked here against central finite differences before anything
is written. No torch is needed; if torch happens to be importable, the forward pass and the
gradients are also compared with torch.nn.RNN/LSTM/GRU and pack_padded_sequence. (The committed
references.json was made without torch, so that comparison has not been run yet.)

Padded batches are not computed with masks, as Cuaderno does, but as packing defines them: each
sequence runs alone for its own length; its outputs after that are zero and its last state is the
one at its last real step.

Each case holds:
- the weights twice: "weights_pytorch" in PyTorch's layout (weight_ih_l0 (G*h, in), weight_hh_l0
  (G*h, h), bias_ih_l0 (G*h,), bias_hh_l0 (G*h,)), and "weights_cuaderno" as Cuaderno stores them
  (inputWeight = weight_ih_l0.T (in, G*h), hiddenWeight = weight_hh_l0.T (h, G*h), inputBias,
  hiddenBias); gates in PyTorch's order (LSTM i, f, g, o; GRU r, z, n);
- the input, batch-first (batch, time, in) or unbatched (time, in), the lengths (or null), the
  initial states (or null: zeros);
- the loss L = sum(outputs * R_outputs) + sum(last_hidden * R_last_hidden) (+ sum(last_cell *
  R_last_cell) for the LSTM), with its weights R, so that every output element counts;
- the expected outputs, last states and loss, and the gradient of L with respect to the input,
  the initial states (when given) and every parameter, in both layouts.

Tensors are {"shape": [...], "data": [row-major floats]}, floats written exactly (repr).
"""
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 2026
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# One sequence, one cell: x (T, in), states (h,) → outputs (T, h), last states, and a cache.

def rnn_forward(w, x, h):
    cache, outputs = [], []
    for x_t in x:
        h_new = np.tanh(w["weight_ih_l0"] @ x_t + w["bias_ih_l0"] + w["weight_hh_l0"] @ h + w["bias_hh_l0"])
        cache.append((x_t, h, h_new))
        outputs.append(h_new)
        h = h_new
    return np.array(outputs), [h], cache


def rnn_backward(w, cache, d_outputs, d_last, grads):
    (dh,) = d_last
    dx = []
    for t in reversed(range(len(cache))):
        x_t, h_prev, h_new = cache[t]
        dh = dh + d_outputs[t]
        da = dh * (1 - h_new ** 2)
        accumulate(grads, x_t, h_prev, da, da)
        dx.append(w["weight_ih_l0"].T @ da)
        dh = w["weight_hh_l0"].T @ da
    return np.array(dx[::-1]), [dh]


def lstm_forward(w, x, h, c):
    cache, outputs = [], []
    for x_t in x:
        pre = w["weight_ih_l0"] @ x_t + w["bias_ih_l0"] + w["weight_hh_l0"] @ h + w["bias_hh_l0"]
        i, f, g, o = np.split(pre, 4)
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c_new = f * c + i * g
        h_new = o * np.tanh(c_new)
        cache.append((x_t, h, c, i, f, g, o, c_new))
        outputs.append(h_new)
        h, c = h_new, c_new
    return np.array(outputs), [h, c], cache


def lstm_backward(w, cache, d_outputs, d_last, grads):
    dh, dc = d_last
    dx = []
    for t in reversed(range(len(cache))):
        x_t, h_prev, c_prev, i, f, g, o, c_new = cache[t]
        dh = dh + d_outputs[t]
        tanh_c = np.tanh(c_new)
        do = dh * tanh_c
        dc = dc + dh * o * (1 - tanh_c ** 2)
        di, df, dg = dc * g, dc * c_prev, dc * i
        d_pre = np.concatenate([di * i * (1 - i), df * f * (1 - f), dg * (1 - g ** 2), do * o * (1 - o)])
        accumulate(grads, x_t, h_prev, d_pre, d_pre)
        dx.append(w["weight_ih_l0"].T @ d_pre)
        dh = w["weight_hh_l0"].T @ d_pre
        dc = dc * f
    return np.array(dx[::-1]), [dh, dc]


def gru_forward(w, x, h):
    cache, outputs = [], []
    for x_t in x:
        i_r, i_z, i_n = np.split(w["weight_ih_l0"] @ x_t + w["bias_ih_l0"], 3)
        h_r, h_z, h_n = np.split(w["weight_hh_l0"] @ h + w["bias_hh_l0"], 3)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        h_new = (1 - z) * n + z * h
        cache.append((x_t, h, r, z, n, h_n))
        outputs.append(h_new)
        h = h_new
    return np.array(outputs), [h], cache


def gru_backward(w, cache, d_outputs, d_last, grads):
    (dh,) = d_last
    dx = []
    for t in reversed(range(len(cache))):
        x_t, h_prev, r, z, n, h_n = cache[t]
        dh = dh + d_outputs[t]
        dn, dz = dh * (1 - z), dh * (h_prev - n)
        da_n = dn * (1 - n ** 2)
        da_r, da_z = da_n * h_n * r * (1 - r), dz * z * (1 - z)
        d_from_input = np.concatenate([da_r, da_z, da_n])
        d_from_hidden = np.concatenate([da_r, da_z, da_n * r])
        accumulate(grads, x_t, h_prev, d_from_input, d_from_hidden)
        dx.append(w["weight_ih_l0"].T @ d_from_input)
        dh = dh * z + w["weight_hh_l0"].T @ d_from_hidden
    return np.array(dx[::-1]), [dh]


def accumulate(grads, x_t, h_prev, d_from_input, d_from_hidden):
    """Adds one step's parameter gradients: the pre-activations' gradients times their inputs."""
    grads["weight_ih_l0"] += np.outer(d_from_input, x_t)
    grads["bias_ih_l0"] += d_from_input
    grads["weight_hh_l0"] += np.outer(d_from_hidden, h_prev)
    grads["bias_hh_l0"] += d_from_hidden


CELLS = {"rnn": (rnn_forward, rnn_backward), "lstm": (lstm_forward, lstm_backward), "gru": (gru_forward, gru_backward)}


# A batch: each sequence alone, for its own length (what packing means).

def run(cell, w, x, lengths, initial):
    """x (B, T, in), initial states [(B, h)] → outputs (B, T, h) zero past each length, last states, caches."""
    forward = CELLS[cell][0]
    batch, time, _ = x.shape
    outputs = np.zeros((batch, time, w["weight_hh_l0"].shape[1]))
    lasts = [np.zeros_like(state) for state in initial]
    caches = []
    for b in range(batch):
        out, last, cache = forward(w, x[b, :lengths[b]], *[state[b] for state in initial])
        outputs[b, :lengths[b]] = out
        for k, state in enumerate(last):
            lasts[k][b] = state
        caches.append(cache)
    return outputs, lasts, caches


def loss_of(outputs, lasts, weights):
    return np.sum(outputs * weights["outputs"]) + sum(np.sum(s * r) for s, r in zip(lasts, weights["lasts"]))


def gradients(cell, w, x, lengths, initial, weights):
    """∂L/∂parameters (PyTorch's layout), ∂L/∂x and ∂L/∂initial states, by BPTT by hand."""
    backward = CELLS[cell][1]
    _, _, caches = run(cell, w, x, lengths, initial)
    grads = {name: np.zeros_like(value) for name, value in w.items()}
    dx = np.zeros_like(x)  # zero at padded steps: they never reach the loss
    d_initial = [np.zeros_like(state) for state in initial]
    for b in range(len(x)):
        d_last = [r[b] for r in weights["lasts"]]
        dx[b, :lengths[b]], d_init = backward(w, caches[b], weights["outputs"][b, :lengths[b]], d_last, grads)
        for k, d in enumerate(d_init):
            d_initial[k][b] = d
    return grads, dx, d_initial


def check_by_finite_differences(name, cell, w, x, lengths, initial, weights, grads, dx, d_initial, step=1e-6):
    """Every analytic gradient element against a central difference; stops the script on a mismatch."""
    def loss():
        outputs, lasts, _ = run(cell, w, x, lengths, initial)
        return loss_of(outputs, lasts, weights)

    arrays = [(key, w[key], grads[key]) for key in w] + [("input", x, dx)]
    arrays += [(f"initial state {k}", s, d) for k, (s, d) in enumerate(zip(initial, d_initial))]
    worst = 0.0
    for label, array, analytic in arrays:
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + step
            above = loss()
            array[index] = original - step
            below = loss()
            array[index] = original
            error = abs((above - below) / (2 * step) - analytic[index])
            worst = max(worst, error)
            if error > 1e-7 * max(1.0, abs(analytic[index])):
                raise SystemExit(f"{name}: ∂L/∂{label}{list(index)} is {analytic[index]} by hand but "
                                 f"{(above - below) / (2 * step)} by finite differences")
    print(f"{name}: hand-written BPTT within {worst:.1e} of finite differences")


def cross_check_with_torch(name, cell, w, x, lengths, initial, weights, expected, grads, dx, d_initial):
    """The same case through torch.nn.RNN/LSTM/GRU with pack_padded_sequence, when torch is there."""
    try:
        import torch
        from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    except ImportError:
        return False
    batch, time, inputs = x.shape
    hidden = w["weight_hh_l0"].shape[1]
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    module = kind(inputs, hidden, batch_first=True).double()
    with torch.no_grad():
        for key, value in w.items():
            getattr(module, key).copy_(torch.from_numpy(value))
    x_t = torch.tensor(x, requires_grad=True)
    initial_t = [torch.tensor(state[None], requires_grad=True) for state in initial]  # (layers = 1, B, h)
    packed = pack_padded_sequence(x_t, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, last = module(packed, tuple(initial_t) if cell == "lstm" else initial_t[0])
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=time)
    lasts = [state[0] for state in (last if cell == "lstm" else (last,))]
    loss = (out * torch.from_numpy(weights["outputs"])).sum()
    loss = loss + sum((s * torch.from_numpy(r)).sum() for s, r in zip(lasts, weights["lasts"]))
    loss.backward()
    pairs = [("outputs", out, expected[0])] + [(f"last state {k}", s, e) for k, (s, e) in enumerate(zip(lasts, expected[1]))]
    pairs += [(f"∂L/∂{key}", getattr(module, key).grad, grads[key]) for key in w]
    pairs += [("∂L/∂input", x_t.grad, dx)] + [(f"∂L/∂initial state {k}", s.grad[0], d) for k, (s, d) in enumerate(zip(initial_t, d_initial))]
    for label, ours, reference in pairs:
        if not np.allclose(ours.detach().numpy(), reference, rtol=1e-12, atol=1e-12):
            raise SystemExit(f"{name}: {label} differs from torch")
    print(f"{name}: equal to torch {torch.__version__} within 1e-12")
    return True


# The cases.

def tensor(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(v) for v in array.ravel()]}


def make_case(rng, name, cell, batch, time, inputs, hidden, lengths=None, initial_states=False, batched=True):
    gates, states = GATES[cell], 2 if cell == "lstm" else 1
    # Weights a little larger than PyTorch's ±1/√h, so that the gates are neither all open nor all shut.
    w = {"weight_ih_l0": rng.uniform(-0.8, 0.8, (gates * hidden, inputs)),
         "weight_hh_l0": rng.uniform(-0.8, 0.8, (gates * hidden, hidden)),
         "bias_ih_l0": rng.uniform(-0.5, 0.5, gates * hidden),
         "bias_hh_l0": rng.uniform(-0.5, 0.5, gates * hidden)}
    x = rng.normal(size=(batch, time, inputs))
    if initial_states:
        initial = [rng.normal(scale=0.5, size=(batch, hidden)) for _ in range(states)]
    else:
        initial = [np.zeros((batch, hidden)) for _ in range(states)]
    weights = {"outputs": rng.normal(size=(batch, time, hidden)),
               "lasts": [rng.normal(size=(batch, hidden)) for _ in range(states)]}
    steps = lengths if lengths is not None else [time] * batch

    outputs, lasts, _ = run(cell, w, x, steps, initial)
    grads, dx, d_initial = gradients(cell, w, x, steps, initial, weights)
    check_by_finite_differences(name, cell, w, x, steps, initial, weights, grads, dx, d_initial)
    cross_check_with_torch(name, cell, w, x, steps, initial, weights, (outputs, lasts), grads, dx, d_initial)

    # Unbatched cases were run as a batch of one; they are written without the batch axis.
    strip = (lambda a: a) if batched else (lambda a: a[0])
    optional = lambda values, k: tensor(strip(values[k])) if initial_states and k < len(values) else None
    return {
        "name": name, "cell": cell, "input_size": inputs, "hidden_size": hidden, "batched": batched,
        "weights_pytorch": {key: tensor(value) for key, value in w.items()},
        "weights_cuaderno": {"inputWeight": tensor(w["weight_ih_l0"].T), "hiddenWeight": tensor(w["weight_hh_l0"].T),
                             "inputBias": tensor(w["bias_ih_l0"]), "hiddenBias": tensor(w["bias_hh_l0"])},
        "input": tensor(strip(x)),
        "lengths": lengths,
        "initial_hidden": optional(initial, 0),
        "initial_cell": optional(initial, 1),
        "loss_weights": {"outputs": tensor(strip(weights["outputs"])),
                         "last_hidden": tensor(strip(weights["lasts"][0])),
                         "last_cell": tensor(strip(weights["lasts"][1])) if states == 2 else None},
        "expected": {"outputs": tensor(strip(outputs)), "last_hidden": tensor(strip(lasts[0])),
                     "last_cell": tensor(strip(lasts[1])) if states == 2 else None,
                     "loss": float(loss_of(outputs, lasts, weights))},
        "gradients": {"input": tensor(strip(dx)), "initial_hidden": optional(d_initial, 0),
                      "initial_cell": optional(d_initial, 1)},
        "parameter_gradients_pytorch": {key: tensor(value) for key, value in grads.items()},
        "parameter_gradients_cuaderno": {"inputWeight": tensor(grads["weight_ih_l0"].T),
                                         "hiddenWeight": tensor(grads["weight_hh_l0"].T),
                                         "inputBias": tensor(grads["bias_ih_l0"]),
                                         "hiddenBias": tensor(grads["bias_hh_l0"])},
    }


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for cell in ["rnn", "lstm", "gru"]:
        # Padded: one full sequence, two shorter ones, given initial states.
        cases.append(make_case(rng, f"{cell}_padded", cell, batch=3, time=5, inputs=4, hidden=3,
                               lengths=[5, 2, 4], initial_states=True))
        # No sequence reaches the last steps; zero initial states.
        cases.append(make_case(rng, f"{cell}_short", cell, batch=3, time=5, inputs=2, hidden=3, lengths=[3, 1, 2]))
        # Full sequences, no lengths; more hidden features than inputs.
        cases.append(make_case(rng, f"{cell}_full", cell, batch=2, time=4, inputs=3, hidden=5))
        # One sequence without a batch axis, with initial states of shape (hidden,).
        cases.append(make_case(rng, f"{cell}_unbatched", cell, batch=1, time=6, inputs=2, hidden=4,
                               initial_states=True, batched=False))
    header = {
        "made_by": "make_references.py (NumPy, float64, seed %d)" % SEED,
        "loss": "sum(outputs * R_outputs) + sum(last_hidden * R_last_hidden) + sum(last_cell * R_last_cell)",
    }
    # One case a line: small enough to read a diff by, without a line for every number.
    text = json.dumps(header)[:-1] + ', "cases": [\n' + ",\n".join(json.dumps(case) for case in cases) + "\n]}\n"
    (HERE / "references.json").write_text(text)
    print(f"wrote {len(cases)} cases to references.json")


if __name__ == "__main__":
    main()
