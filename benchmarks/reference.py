"""References the tutor is measured against: the same training step written as plainly
as numpy allows, and the same step in PyTorch with autograd."""

from __future__ import annotations

import numpy as np


def heart(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / n
    X = 16 * np.sin(2 * np.pi * t) ** 3
    Y = (13 * np.cos(2 * np.pi * t) - 5 * np.cos(4 * np.pi * t) - 2 * np.cos(6 * np.pi * t)
         - np.cos(8 * np.pi * t))
    return t.reshape(1, n), np.vstack([(X / 20 + 1) / 2, (Y / 20 + 1) / 2])


def minimal_loop(iterations: int, seed: int = 0, aggression: float = 7.0,
                 noise: float = 1.0) -> float:
    """The course's algorithm (1-6-7-2, full batch, stochastic steepest descent),
    hand-written with separate arrays, computing the cost each iteration as train() does.
    Returns the last cost."""
    rng = np.random.default_rng(seed)
    W1, W2, W3 = (rng.standard_normal(s) / 2 for s in ((6, 1), (7, 6), (2, 7)))
    b1, b2, b3 = (rng.standard_normal(s) / 2 for s in ((6, 1), (7, 1), (2, 1)))
    x, y = heart(100)
    n = x.shape[1]
    cost = 0.0
    for _ in range(iterations):
        a1 = 1 / (1 + np.exp(-(W1 @ x + b1)))
        a2 = 1 / (1 + np.exp(-(W2 @ a1 + b2)))
        a3 = 1 / (1 + np.exp(-(W3 @ a2 + b3)))
        cost = np.sum((a3 - y) ** 2) / n
        d3 = 2 * (a3 - y) * a3 * (1 - a3)
        d2 = (W3.T @ d3) * a2 * (1 - a2)
        d1 = (W2.T @ d2) * a1 * (1 - a1)
        xi = 1 + noise * rng.standard_normal(6)
        W3 -= aggression * xi[0] * (d3 @ a2.T) / n
        b3 -= aggression * xi[1] * np.sum(d3, axis=1, keepdims=True) / n
        W2 -= aggression * xi[2] * (d2 @ a1.T) / n
        b2 -= aggression * xi[3] * np.sum(d2, axis=1, keepdims=True) / n
        W1 -= aggression * xi[4] * (d1 @ x.T) / n
        b1 -= aggression * xi[5] * np.sum(d1, axis=1, keepdims=True) / n
    return float(cost)


def torch_loop(iterations: int, seed: int = 0, aggression: float = 7.0,
               noise: float = 1.0) -> float:
    """The same step in PyTorch on the CPU, the Jacobians by autograd."""
    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    shapes = ((6, 1), (6, 1), (7, 6), (7, 1), (2, 7), (2, 1))
    params = [torch.tensor(rng.standard_normal(s) / 2, requires_grad=True) for s in shapes]
    x, y = (torch.tensor(a) for a in heart(100))
    n = x.shape[1]
    cost = torch.tensor(0.0)
    for _ in range(iterations):
        a = x
        for w, b in zip(params[0::2], params[1::2], strict=True):
            a = torch.sigmoid(w @ a + b)
        cost = torch.sum((a - y) ** 2) / n
        grads = torch.autograd.grad(cost, params)
        xi = 1 + noise * rng.standard_normal(6)
        with torch.no_grad():
            for p, g, k in zip(params, grads, xi, strict=True):
                p -= aggression * float(k) * g
    return float(cost.detach())


def textbook_loop(iterations: int, seed: int = 0, aggression: float = 7.0,
                  noise: float = 1.0) -> float:
    """The loop as the course's notebook writes it: each of the six Jacobians is its own
    function with its own forward pass, and the updates are applied after all six are
    computed.  Returns the last cost."""
    rng = np.random.default_rng(seed)
    W1, W2, W3 = (rng.standard_normal(s) / 2 for s in ((6, 1), (7, 6), (2, 7)))
    b1, b2, b3 = (rng.standard_normal(s) / 2 for s in ((6, 1), (7, 1), (2, 1)))
    x, y = heart(100)
    n = x.shape[1]

    def sigma(z):
        return 1 / (1 + np.exp(-z))

    def d_sigma(z):
        return np.cosh(z / 2) ** (-2) / 4

    def network_function(a0):
        z1 = W1 @ a0 + b1
        a1 = sigma(z1)
        z2 = W2 @ a1 + b2
        a2 = sigma(z2)
        z3 = W3 @ a2 + b3
        a3 = sigma(z3)
        return a0, z1, a1, z2, a2, z3, a3

    def cost(x, y):
        return np.linalg.norm(network_function(x)[-1] - y) ** 2 / x.size

    def J_W3(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        return (2 * (a3 - y) * d_sigma(z3)) @ a2.T / x.size

    def J_b3(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        return np.sum(2 * (a3 - y) * d_sigma(z3), axis=1, keepdims=True) / x.size

    def J_W2(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        J = 2 * (a3 - y)
        J = J * d_sigma(z3)
        J = (J.T @ W3).T
        J = J * d_sigma(z2)
        return J @ a1.T / x.size

    def J_b2(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        J = (((2 * (a3 - y) * d_sigma(z3)).T @ W3).T) * d_sigma(z2)
        return np.sum(J, axis=1, keepdims=True) / x.size

    def J_W1(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        J = (((2 * (a3 - y) * d_sigma(z3)).T @ W3).T) * d_sigma(z2)
        J = ((J.T @ W2).T) * d_sigma(z1)
        return J @ a0.T / x.size

    def J_b1(x, y):
        a0, z1, a1, z2, a2, z3, a3 = network_function(x)
        J = (((2 * (a3 - y) * d_sigma(z3)).T @ W3).T) * d_sigma(z2)
        J = ((J.T @ W2).T) * d_sigma(z1)
        return np.sum(J, axis=1, keepdims=True) / x.size

    last = 0.0
    for _ in range(iterations):
        last = cost(x, y)
        j_w1, j_b1, j_w2, j_b2 = J_W1(x, y), J_b1(x, y), J_W2(x, y), J_b2(x, y)
        j_w3, j_b3 = J_W3(x, y), J_b3(x, y)
        xi = 1 + noise * rng.standard_normal(6)
        W1 -= aggression * xi[0] * j_w1
        b1 -= aggression * xi[1] * j_b1
        W2 -= aggression * xi[2] * j_w2
        b2 -= aggression * xi[3] * j_b2
        W3 -= aggression * xi[4] * j_w3
        b3 -= aggression * xi[5] * j_b3
    del n
    return float(last)
