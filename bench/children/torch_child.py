"""One PyTorch measurement in its own process, mirroring bench/lib/measure.mjs: warm up, time training steps until a
batch count or a time budget runs out, then the same for inference; print one BENCH_RESULT line with peak RSS.

The parent sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS before Python starts (they are read when
the libraries load); torch.set_num_threads repeats the count for PyTorch's own pool. Without them PyTorch
oversubscribes a small machine.
"""
import json
import resource
import sys
import time

import torch
from torch import nn

spec = json.loads(sys.argv[1])
workload = spec["workload"]
batch = spec["batch"]
budget = spec["budget"]
threads = spec["threads"]
torch.set_num_threads(threads)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass  # only settable before the first parallel work; the default is harmless for these sequential models
torch.manual_seed(spec["seed"])


class LastStep(nn.Module):
    """LSTM(64) returning the last hidden state, as Keras LSTM with return_sequences=False."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 64, batch_first=True)

    def forward(self, x):
        out, _ = self.lstm(x)
        return out[:, -1, :]


def build(kind):
    # Logits out; the softmax is fused into CrossEntropyLoss for training and applied explicitly for inference, so
    # both phases compute what Keras' Dense(10, softmax) + categorical crossentropy compute.
    if kind == "W1":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if kind == "W2":
        # NCHW, PyTorch's native layout; the same convolutions as Keras' channels-last mnist_convnet.
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10),
        )
    if kind == "W3":
        return nn.Sequential(LastStep(), nn.Linear(64, 1))
    raise ValueError(f"unknown workload kind {kind!r}; expected W1, W2 or W3")


kind = workload["kind"]
model = build(kind)
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
categorical = workload["loss"] == "categorical"
loss_fn = nn.CrossEntropyLoss() if categorical else nn.MSELoss()
in_shape = [1, 28, 28] if kind == "W2" else workload["inputShape"]
data = []
for _ in range(spec["distinctBatches"]):
    x = torch.rand([batch, *in_shape])
    if categorical:
        y = torch.randint(0, workload["outputShape"][0], (batch,))
    else:
        y = torch.rand([batch, *workload["outputShape"]])
    data.append((x, y))


def train_step(i):
    x, y = data[i % len(data)]
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    loss.item()  # read the loss back, as the JavaScript systems do


def infer_step(i):
    x, _ = data[i % len(data)]
    with torch.inference_mode():
        out = model(x)
        if categorical:
            out = torch.softmax(out, dim=1)
        out.numpy()


def timed_loop(step, warmup_seconds, batches, seconds):
    i = 0
    first = None
    warm_start = time.perf_counter()
    while i == 0 or time.perf_counter() - warm_start < warmup_seconds:
        t = time.perf_counter()
        step(i)
        i += 1
        if first is None:
            first = time.perf_counter() - t
    if i == 1 and first >= seconds:
        return {"samplesPerSec": batch / first, "batches": 1, "seconds": first, "warmupBatches": 0, "firstBatchSeconds": first, "fromWarmup": True}
    warmed = i
    start = time.perf_counter()
    n = 0
    while True:
        step(i)
        i += 1
        n += 1
        if n >= batches or time.perf_counter() - start >= seconds:
            break
    elapsed = time.perf_counter() - start
    return {"samplesPerSec": n * batch / elapsed, "batches": n, "seconds": elapsed, "warmupBatches": warmed, "firstBatchSeconds": first, "fromWarmup": False}


def phase(step, mode, batches, seconds):
    mode()
    try:
        return timed_loop(step, budget["warmupSeconds"], batches, seconds)
    except Exception as error:  # reported like the JavaScript children: the system cannot run this phase
        return {"cannot": str(error).split("\n")[0][:200]}


result = {
    "train": phase(train_step, model.train, budget["trainBatches"], budget["trainSeconds"]),
    "infer": phase(infer_step, model.eval, budget["inferBatches"], budget["inferSeconds"]),
    "threads": torch.get_num_threads(),
    "backend": f"torch {torch.__version__}",
    # ru_maxrss is in KiB on Linux: the high-water mark of this process, interpreter and libraries included.
    "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
print("BENCH_RESULT " + json.dumps(result), flush=True)
