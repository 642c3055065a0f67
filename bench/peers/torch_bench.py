#!/usr/bin/env python3
"""PyTorch peer of descent's benchmarks.

  torch_bench.py serve
      JSON commands on stdin, one JSON reply per line on stdout (used by bench/run.ts, which
      interleaves these runs with descent's and TensorFlow.js's):
        {"op": "info"}
        {"op": "setup", "id": "k", "bench": "gemm"|"mlp"|"cnn"|"adam10m"|"sgdm10m"|"copy40mb", "n": 512}
        {"op": "run", "id": "k", "threads": 1, "reps": 4}        -> {"ok": true, "ms": <ms per rep>}
        {"op": "dispose", "id": "k"}
  torch_bench.py time85 [--threads 2] [--data DIR] [--target 0.85] [--repeats 1] [--seed 0]
                        [--eval-every 100] [--max-epochs 10] [--train-limit N] [--test-limit N] [--eval-train]
      Trains the Fashion-MNIST MLP 784-1000-500-100-10 (ReLU; weights truncated normal
      sigma 0.03 cut at 2 sigma, biases 0; pixels / 255; Adam 1e-3; batch 128) and evaluates
      the test set every `eval-every` steps until its accuracy reaches `target`; prints one JSON
      line per repeat. --eval-train also evaluates the first 10,000 training images at each
      evaluation, as descent's trainer does (its train-eval set).

Run with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp: Debian's default BLAS is the
reference one (about 6 GFLOP/s).

Benchmark data is the same in every implementation: x[i] = ((i * 2654435761) mod 2^32 mod 1000)
/ 1000, labels y[j] = j mod 10 (see bench/lib/data.ts).
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

BATCH = 128
TRAIN_EVAL = 10_000
MLP_SIZES = [784, 1000, 500, 100, 10]
N10M = 10_000_000


def bench_features(n):
    i = np.arange(n, dtype=np.uint64)
    return ((i * np.uint64(2654435761)) % np.uint64(2**32) % np.uint64(1000)).astype(np.float32) / np.float32(1000)


def bench_labels(n):
    return torch.from_numpy((np.arange(n) % 10).astype(np.int64))


def mlp_model():
    layers = []
    for i in range(len(MLP_SIZES) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(MLP_SIZES[i], MLP_SIZES[i + 1]))
    return nn.Sequential(*layers)


def cnn_model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 1024), nn.ReLU(),
        nn.Linear(1024, 10),
    )


def make_training_step(model, shape):
    x = torch.from_numpy(bench_features(BATCH * 784)).reshape(shape)
    y = bench_labels(BATCH)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return step


def make_bench(name, n=None):
    """A function doing one unit of work (one GEMM, one training step, one optimizer step, one copy)."""
    if name == 'gemm':
        a = torch.rand(n, n) - 0.5
        b = torch.rand(n, n) - 0.5
        c = torch.empty(n, n)
        return lambda: torch.mm(a, b, out=c)
    if name == 'mlp':
        return make_training_step(mlp_model(), (BATCH, 784))
    if name == 'cnn':
        return make_training_step(cnn_model(), (BATCH, 1, 28, 28))
    if name in ('adam10m', 'sgdm10m'):
        p = nn.Parameter(torch.rand(N10M) - 0.5)
        p.grad = torch.rand(N10M) - 0.5
        opt = torch.optim.Adam([p], lr=1e-3) if name == 'adam10m' else torch.optim.SGD([p], lr=1e-3, momentum=0.9)
        return opt.step
    if name == 'copy40mb':
        src = torch.rand(N10M)
        dst = torch.empty(N10M)
        return lambda: dst.copy_(src)
    raise ValueError(f'unknown bench {name!r}, expected gemm, mlp, cnn, adam10m, sgdm10m or copy40mb')


def info():
    return {
        'torch': torch.__version__, 'numpy': np.__version__,
        'blas': os.environ.get('LD_LIBRARY_PATH', ''), 'maxThreads': torch.get_num_threads(),
        'cores': os.cpu_count(),
    }


def warm_allocator():
    """Allocates and frees one 16 MB block, as any real training script does early on (loading
    data, evaluating in large batches). glibc's malloc serves blocks above its mmap threshold
    (128 KiB at start) with fresh mmap'd pages, so until a large block has been freed once (then the
    threshold rises to its size) every 512 KB activation of the MLP page-faults anew: measured here,
    a bare loop of MLP steps runs at 27 ms/step on one thread and 22 on two, and at 13 and 8.6 after
    this call. Without it the benchmark would understate PyTorch by 2-2.5x."""
    block = torch.empty(4 * 1024 * 1024)
    block.fill_(1.0)
    del block


def serve():
    warm_allocator()
    benches = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
            op = cmd.get('op')
            if op == 'info':
                reply = {'ok': True, **info()}
            elif op == 'setup':
                benches[cmd['id']] = make_bench(cmd['bench'], cmd.get('n'))
                reply = {'ok': True}
            elif op == 'run':
                torch.set_num_threads(int(cmd['threads']))
                fn = benches[cmd['id']]
                reps = int(cmd.get('reps', 1))
                with torch.no_grad() if cmd.get('noGrad') else _null():
                    t = time.perf_counter()
                    for _ in range(reps):
                        fn()
                    ms = (time.perf_counter() - t) * 1000 / reps
                reply = {'ok': True, 'ms': ms, 'threads': torch.get_num_threads()}
            elif op == 'dispose':
                benches.pop(cmd['id'], None)
                reply = {'ok': True}
            else:
                reply = {'ok': False, 'error': f'unknown op {op!r}'}
        except Exception as e:  # reported to the caller, which marks the row skipped
            reply = {'ok': False, 'error': f'{type(e).__name__}: {e}'}
        sys.stdout.write(json.dumps(reply) + '\n')
        sys.stdout.flush()


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *args):
        return False


# ---- time to 85 % test accuracy on the Fashion-MNIST MLP ----

FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find_file(dirs, name):
    for d in dirs:
        for sub in ('', 'fashion-mnist'):
            for suffix in ('.gz', ''):
                p = os.path.join(d, sub, name + suffix)
                if os.path.exists(p):
                    return p
    raise FileNotFoundError(f'{name}(.gz) not found in {dirs}')


def load_fashion(split, data_dir, limit):
    dirs = [d for d in (data_dir, os.environ.get('DESCENT_DATA'), '/usr/share/datasets/fashion-mnist') if d]
    images, labels = (read_idx(find_file(dirs, n)) for n in FILES[split])
    x = torch.from_numpy(images.reshape(len(images), 784).astype(np.float32) / np.float32(255))
    y = torch.from_numpy(labels.astype(np.int64))
    if limit:
        x, y = x[:limit], y[:limit]
    return x, y


def deepobs_mlp(seed):
    torch.manual_seed(seed)
    model = mlp_model()
    for name, p in model.named_parameters():
        if name.endswith('bias'):
            nn.init.zeros_(p)
        else:
            nn.init.trunc_normal_(p, 0.0, 0.03, -0.06, 0.06)
    return model


def accuracy(model, x, y, chunk=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(x), chunk):
            correct += (model(x[s:s + chunk]).argmax(1) == y[s:s + chunk]).sum().item()
    model.train()
    return correct / len(x)


def time_to_accuracy(args, seed, train, test):
    model = deepobs_mlp(seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    (xtr, ytr), (xte, yte) = train, test
    n = len(xtr)
    step = 0
    train_s = 0.0
    evals = []
    started = time.perf_counter()
    def evaluate():
        record = {'step': step, 'testAccuracy': accuracy(model, xte, yte)}
        if args.eval_train:
            record['trainAccuracy'] = accuracy(model, xtr[:TRAIN_EVAL], ytr[:TRAIN_EVAL])
        evals.append(record)
        return record['testAccuracy']

    acc = evaluate()
    for epoch in range(args.max_epochs):
        perm = torch.randperm(n, generator=gen)
        for s in range(0, n - BATCH + 1 if args.drop_last else n, BATCH):
            t0 = time.perf_counter()
            idx = perm[s:s + BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            step += 1
            train_s += time.perf_counter() - t0
            if step % args.eval_every == 0:
                acc = evaluate()
                if acc >= args.target:
                    wall = time.perf_counter() - started
                    return {'reached': True, 'steps': step, 'epochs': step * BATCH / n, 'wallS': wall, 'trainS': train_s,
                            'testAccuracy': acc, 'evaluations': evals}
    return {'reached': False, 'steps': step, 'epochs': step * BATCH / n, 'wallS': time.perf_counter() - started,
            'trainS': train_s, 'testAccuracy': acc, 'evaluations': evals}


def time85(args):
    torch.set_num_threads(args.threads)
    train = load_fashion('train', args.data, args.train_limit)
    test = load_fashion('test', args.data, args.test_limit)
    for r in range(args.repeats):
        res = time_to_accuracy(args, args.seed + r, train, test)
        row = {'bench': 'time85', 'impl': 'torch', 'evalSets': 'train-eval+test' if args.eval_train else 'test', 'threads': torch.get_num_threads(), 'value': round(res['wallS'], 3),
               'unit': 's', 'target': args.target, 'seed': args.seed + r, **{k: v for k, v in res.items() if k != 'wallS'}}
        if not args.history:
            row.pop('evaluations')
        print(json.dumps(row), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='cmd', required=True)
    sub.add_parser('serve')
    t = sub.add_parser('time85')
    t.add_argument('--threads', type=int, default=2)
    t.add_argument('--data', default=None)
    t.add_argument('--target', type=float, default=0.85)
    t.add_argument('--repeats', type=int, default=1)
    t.add_argument('--seed', type=int, default=0)
    t.add_argument('--eval-every', type=int, default=100)
    t.add_argument('--max-epochs', type=int, default=10)
    t.add_argument('--train-limit', type=int, default=None)
    t.add_argument('--test-limit', type=int, default=None)
    t.add_argument('--drop-last', action='store_true', help='drop the last partial batch of each epoch')
    t.add_argument('--eval-train', action='store_true',
                   help='also evaluate the first 10,000 training examples at each evaluation, as descent\'s trainer does')
    t.add_argument('--history', action='store_true', help='include every evaluation in the output')
    args = parser.parse_args()
    if args.cmd == 'serve':
        serve()
    else:
        time85(args)


if __name__ == '__main__':
    main()
