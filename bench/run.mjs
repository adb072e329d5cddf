// `npm run bench`: Kiln against TensorFlow.js (cpu, wasm) and PyTorch on the workloads of issue 5, each measurement
// in its own child process, interleaved across systems and repeated. Prints a table and writes bench/results/latest.json.
// Benchmarks are not tests: nothing here asserts anything about time. See bench/README.md for how to read the output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregate } from './lib/aggregate.mjs';
import { loadAverage, machineFacts } from './lib/machine.mjs';
import { parseOptions, USAGE } from './lib/options.mjs';
import { runChild } from './lib/run-child.mjs';
import { planSystems } from './lib/systems.mjs';
import { formatRate, renderTable } from './lib/table.mjs';
import { selectWorkloads } from './lib/workloads.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line = '') => process.stdout.write(`${line}\n`);

let options;
let workloads;
try {
  options = parseOptions(process.argv.slice(2));
  workloads = selectWorkloads(options.workloads);
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  log(USAGE);
  process.exit(0);
}

const startedAt = new Date();
const loadAtStart = loadAverage();
const machine = machineFacts();
let plan;
try {
  plan = await planSystems(options);
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const { variants, skipped, notes, facts } = plan;
if (machine.kilnDist.stale) {
  const files = machine.kilnDist.staleFiles;
  notes.push(`Kiln: ${files.length} engine source file(s) newer than their build in dist (${files.slice(0, 4).join(', ')}${files.length > 4 ? ', …' : ''}): this run measures the last build; run npx tsc -b first to measure the current code.`);
}
if (options.smoke) notes.unshift('SMOKE MODE: batch 4, 2 timed batches, 1 run. It checks that the harness works; the figures mean nothing.');

log(`Kiln bench — ${startedAt.toISOString()}`);
log(`machine: ${machine.cpuModel}, ${machine.cores} cores (${machine.simd.join(' ')}), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`);
log(`code: git ${machine.gitCommit}${machine.gitDirty ? ' (engine has uncommitted changes)' : ''}; TF.js ${machine.tfjs}, tfjs-backend-wasm ${machine.tfjsBackendWasm}; PyTorch ${facts.torch ? `${facts.torch} on ${facts.torchBlas.join(' + ')}, torch.mm ${facts.torchMmGflops1Thread} GFLOP/s at 1 thread` : 'not available'}`);
log(`load average at start (1/5/15 min): ${loadAtStart.join(' / ')}`);
for (const n of notes) log(`note: ${n}`);
const total = options.runs * workloads.length * variants.length;
log(`plan: ${options.runs} run(s) × ${workloads.length} workload(s) × ${variants.length} system variant(s) = ${total} child processes`);
log();

const budget = {
  warmupSeconds: options.warmupSeconds,
  trainBatches: options.maxBatches,
  trainSeconds: options.trainSeconds,
  inferBatches: options.maxBatches,
  inferSeconds: options.inferSeconds,
};
// A single slow batch (TF.js cpu on W2: ~45 s, more on a loaded machine) is allowed for; a child past this is hung.
const timeoutMs = (options.smoke ? 120 : 420) * 1000;

const measurements = [];
let done = 0;
for (let run = 1; run <= options.runs; run++) {
  for (const [wi, workload] of workloads.entries()) {
    // Rotate the order of systems between runs and workloads so that none is always first after a quiet spell or
    // always behind the same neighbour: interleaving, not blocks of one system.
    const shift = (run - 1 + wi) % variants.length;
    const order = [...variants.slice(shift), ...variants.slice(0, shift)];
    for (const variant of order) {
      const batch = options.batchOverride ?? workload.batch;
      const spec = { system: variant.system, workload, batch, seed: 1234 + run, distinctBatches: 4, threads: variant.threads, budget, ...variant.extra };
      const t0 = performance.now();
      const outcome = await runChild(variant, spec, { timeoutMs, verbose: options.verbose, cwd: root });
      const seconds = (performance.now() - t0) / 1000;
      measurements.push({ run, workload: workload.id, system: variant.system, threads: variant.threads, batch, ...outcome });
      done++;
      const label = `[${String(done).padStart(String(total).length)}/${total}] run ${run} ${workload.id.padEnd(7)} ${`${variant.system} ×${variant.threads}`.padEnd(13)}`;
      if (outcome.error) {
        log(`${label} FAILED: ${outcome.error}`);
        if (outcome.output) log(outcome.output.trim().split('\n').slice(-8).map((l) => `    ${l}`).join('\n'));
      } else {
        const r = outcome.result;
        const show = (p) => (p.cannot ? `cannot (${p.cannot})` : `${formatRate(p.samplesPerSec)}/s over ${p.batches} batch${p.batches > 1 ? 'es' : ''}`);
        log(`${label} train ${show(r.train)}; infer ${show(r.infer)}; peak RSS ${Math.round(r.peakRssMiB)} MiB (${seconds.toFixed(1)} s)${outcome.lingered ? `; WARNING: ${outcome.lingered}` : ''}`);
      }
    }
  }
}

const loadAtEnd = loadAverage();
const rows = aggregate(measurements, workloads, variants, skipped);
log();
log(renderTable(rows));
log();
log(`load average (1/5/15 min): at start ${loadAtStart.join(' / ')}, at end ${loadAtEnd.join(' / ')} on ${machine.cores} cores`);
for (const n of notes) log(`note: ${n}`);

// A smoke run writes beside latest.json, never over it: its figures mean nothing and must not replace a real run's.
const out = options.out ? path.resolve(options.out) : path.join(root, 'bench', 'results', options.smoke ? 'smoke.json' : 'latest.json');
mkdirSync(path.dirname(out), { recursive: true });
const json = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  smoke: options.smoke,
  options: { runs: options.runs, workloads: workloads.map((w) => w.id), systems: options.systems, threads: options.threads, kilnBackend: options.kilnBackend, python: options.python, budget, batchOverride: options.batchOverride },
  machine: { ...machine, loadAverageStart: loadAtStart, loadAverageEnd: loadAtEnd, torch: facts.torch ?? null, torchBlas: facts.torchBlas ?? null, torchMmGflops1Thread: facts.torchMmGflops1Thread ?? null, kilnThreadPool: facts.kilnThreadPool ?? null },
  workloads: workloads.map(({ id, description, batch }) => ({ id, description, batch })),
  notes,
  results: rows,
};
writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
log(`figures written to ${path.relative(process.cwd(), out) || out}`);

const gemm = path.join(root, 'bench', 'gemm.mjs');
if (options.gemm && existsSync(gemm)) {
  log();
  log('bench/gemm.mjs (GEMM microbenchmark):');
  const r = spawnSync(process.execPath, [gemm], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) log(`bench/gemm.mjs exited with ${r.signal ?? `code ${r.status}`}`);
} else if (options.gemm) {
  log('bench/gemm.mjs does not exist yet: no GEMM microbenchmark in this run.');
}
