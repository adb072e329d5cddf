"""Is PyTorch importable, which BLAS does it run on, and how fast is its GEMM on one thread? Printed as one JSON line.

Debian's python3-torch links libblas.so.3, which is whatever the alternatives system points at: OpenBLAS when
libopenblas0 is installed, else the netlib reference BLAS (libblas3), about ten times slower. The bench says which,
because the PyTorch figures mean little without it.
"""
import json
import time

import torch

torch.set_num_threads(1)


def blas_libraries():
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = path.rsplit("/", 1)[-1]
            if "openblas" in name:
                found.add("OpenBLAS")
            elif name.startswith("libmkl"):
                found.add("MKL")
            elif name.startswith("libblis"):
                found.add("BLIS")
            elif name.startswith("libblas.so") and "/blas/" in path:
                found.add("reference BLAS (netlib libblas3)")
    return sorted(found) or ["unknown"]


# The W1 first-layer shape at batch 256: enough work that call overhead does not dominate.
a = torch.rand(256, 784)
b = torch.rand(784, 128)
for _ in range(5):
    torch.mm(a, b)
times = []
for _ in range(20):
    t = time.perf_counter()
    torch.mm(a, b)
    times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({
    "version": torch.__version__,
    "blas": blas_libraries(),
    "mmGflops1Thread": 2 * 256 * 784 * 128 / times[len(times) // 2] / 1e9,
}))
