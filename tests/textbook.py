"""Optimizers written out the way the course notes and papers write them, in plain numpy.

The tests compare the catalog against these; the benchmark uses them as its numpy
baseline. Conventions (learning rate η constant, as in the notes):
- momentum, Nesterov: CS231n's form v ← μv − η g, x ← x + v (and Nesterov's
  x ← x − μ v_prev + (1 + μ) v). optax keeps v ← μv + g, x ← x − η v: the same path.
- Adagrad, RMSprop: Keras's form, ε inside the square root; Adagrad's accumulator starts at 0.1.
- Adam: bias-corrected, ε added to √v̂ (optax); Adam without bias correction as in CS231n.
- QHM and QHAdam: Ma & Yarats (2019), equations (3) and (QHAdam).
"""

import numpy as np


def sgd(grad, x, steps, lr):
    path = [x]
    for _ in range(steps):
        x = x - lr * grad(x)
        path.append(x)
    return np.array(path)


def momentum(grad, x, steps, lr, mu):
    v, path = np.zeros_like(x), [x]
    for _ in range(steps):
        v = mu * v - lr * grad(x)
        x = x + v
        path.append(x)
    return np.array(path)


def nesterov(grad, x, steps, lr, mu):
    v, path = np.zeros_like(x), [x]
    for _ in range(steps):
        v_prev = v
        v = mu * v - lr * grad(x)
        x = x - mu * v_prev + (1 + mu) * v
        path.append(x)
    return np.array(path)


def adagrad(grad, x, steps, lr, initial=0.1, eps=1e-7):
    cache, path = np.full_like(x, initial), [x]
    for _ in range(steps):
        g = grad(x)
        cache = cache + g**2
        x = x - lr * g / np.sqrt(cache + eps)
        path.append(x)
    return np.array(path)


def rmsprop(grad, x, steps, lr, rho=0.9, eps=1e-7):
    cache, path = np.zeros_like(x), [x]
    for _ in range(steps):
        g = grad(x)
        cache = rho * cache + (1 - rho) * g**2
        x = x - lr * g / np.sqrt(cache + eps)
        path.append(x)
    return np.array(path)


def adam(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-7):
    m, v, path = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(1, steps + 1):
        g = grad(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        x = x - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(x)
    return np.array(path)


def adam_nobc(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-7):
    m, v, path = np.zeros_like(x), np.zeros_like(x), [x]
    for _ in range(steps):
        g = grad(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        x = x - lr * m / (np.sqrt(v) + eps)
        path.append(x)
    return np.array(path)


def qhm(grad, x, steps, lr, nu=0.7, beta=0.999):
    buf, path = np.zeros_like(x), [x]
    for _ in range(steps):
        g = grad(x)
        buf = beta * buf + (1 - beta) * g
        x = x - lr * ((1 - nu) * g + nu * buf)
        path.append(x)
    return np.array(path)


def qhadam(grad, x, steps, lr, nu1=0.7, nu2=1.0, b1=0.995, b2=0.999, eps=1e-8):
    m, v, path = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(1, steps + 1):
        g = grad(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        x = x - lr * ((1 - nu1) * g + nu1 * m_hat) / (np.sqrt((1 - nu2) * g**2 + nu2 * v_hat) + eps)
        path.append(x)
    return np.array(path)


def newton(grad, hessian, x, steps, lr=1.0, damping=1e-3):
    path = [x]
    for _ in range(steps):
        x = x - lr * np.linalg.solve(hessian(x) + damping * np.eye(2), grad(x))
        path.append(x)
    return np.array(path)
