// The systems a run compares and how to start one measurement of each in a child process. A system that cannot run
// here (PyTorch not importable) is listed with the reason instead of a column of zeros.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { engineCapabilities, importEngine } from './kiln-engine.mjs';

const child = (name) => fileURLToPath(new URL(`../children/${name}`, import.meta.url));

/** Imports torch with the chosen Python; returns its version or why it cannot. */
export function probeTorch(python) {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { available: false, reason: `${python} could not start (${r.error.code ?? r.error.message})` };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return { available: false, reason: `${python} cannot import torch (${last}); install it with: apt-get install python3-torch` };
  }
  return { available: true, version: r.stdout.trim() };
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
    const caps = engineCapabilities(await importEngine());
    if (!caps.factory && options.kilnBackend !== 'default' && options.kilnBackend !== 'js') {
      throw new Error(`--kiln-backend ${options.kilnBackend}: this engine build has no backend factory (createBackend), only JsBackend; expected js or default`);
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
