// The systems a run compares and how to start one measurement of each in a child process. A system that cannot run
// here (PyTorch not importable) is listed with the reason instead of a column of zeros.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineCapabilities, importEngine } from './kiln-engine.mjs';

const child = (name) => fileURLToPath(new URL(`../children/${name}`, import.meta.url));

/** Imports torch with the chosen Python; returns its version, BLAS and one-thread GEMM speed, or why it cannot. */
export function probeTorch(python) {
  const r = spawnSync(python, [child('torch_probe.py')], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.error) return { available: false, reason: `${python} could not start (${r.error.code ?? r.error.message})` };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return { available: false, reason: `${python} cannot import torch (${last}); install it with: apt-get install python3-torch` };
  }
  const facts = JSON.parse(r.stdout.trim().split('\n').pop());
  return { available: true, ...facts };
}

/**
 * Every (system, threads) pair to measure, the pairs left out (`skipped`, with the reason) and notes for the header. Thread variables for PyTorch
 * are set explicitly: left alone, OpenMP and OpenBLAS each start a thread per core and oversubscribe the machine.
 */
export async function planSystems(options) {
  const variants = [];
  const skipped = [];
  const notes = [];
  const facts = {};
  const wanted = new Set(options.systems);

  if (wanted.has('kiln')) {
    const engine = await importEngine();
    const caps = engineCapabilities(engine);
    const known = ['default', 'js', ...(engine.WasmBackend ? ['wasm'] : [])];
    if (!caps.factory && !known.includes(options.kilnBackend)) {
      throw new Error(`--kiln-backend ${options.kilnBackend}: this engine build has no backend factory (createBackend); expected ${known.join(', ')}`);
    }
    facts.kilnThreadPool = caps.threadPool;
    const counts = caps.threadPool ? options.threads : [1];
    if (!caps.threadPool && options.threads.some((t) => t !== 1)) {
      notes.push(`Kiln: ${caps.note}; thread counts ${options.threads.filter((t) => t !== 1).join(', ')} not measured.`);
      for (const threads of options.threads.filter((t) => t !== 1)) skipped.push({ system: 'kiln', threads, reason: `Kiln at ${threads} threads: the engine has no thread pool yet` });
    }
    for (const threads of counts) {
      variants.push({ system: 'kiln', threads, command: process.execPath, args: [child('kiln.mjs')], env: {}, extra: { kilnBackend: options.kilnBackend } });
    }
  }
  for (const system of ['tfjs-cpu', 'tfjs-wasm']) {
    if (!wanted.has(system)) continue;
    // cpu is single-threaded JavaScript; in Node the wasm backend loads its non-threaded SIMD build (the child
    // reports the count the backend says it uses).
    variants.push({ system, threads: 1, command: process.execPath, args: [child('tfjs.mjs')], env: {}, extra: {} });
  }
  if (wanted.has('torch')) {
    const torch = probeTorch(options.python);
    facts.torch = torch.available ? torch.version : null;
    facts.torchBlas = torch.available ? torch.blas : null;
    facts.torchMmGflops1Thread = torch.available ? Math.round(torch.mmGflops1Thread * 10) / 10 : null;
    if (torch.available && torch.blas.some((b) => b.startsWith('reference'))) {
      notes.push(`PyTorch runs on the reference BLAS (netlib libblas3), not OpenBLAS: torch.mm at 256x784x128 makes ${facts.torchMmGflops1Thread} GFLOP/s on one thread (63-79 with OpenBLAS per issue 5), so every PyTorch figure that goes through BLAS (Dense, LSTM, Conv2D when oneDNN is not used) is far below what PyTorch does with OpenBLAS. For a fair peer: apt-get install libopenblas0-pthread (it takes over libblas.so.3).`);
    }
    if (!torch.available) {
      notes.push(`PyTorch: NOT MEASURED — ${torch.reason}.`);
      for (const threads of options.threads) skipped.push({ system: 'torch', threads, reason: `PyTorch: ${torch.reason}` });
    } else {
      for (const threads of options.threads) {
        const n = String(threads);
        variants.push({
          system: 'torch',
          threads,
          command: options.python,
          args: [child('torch_child.py')],
          env: { OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n },
          extra: {},
        });
      }
    }
  }
  return { variants, skipped, notes, facts };
}
