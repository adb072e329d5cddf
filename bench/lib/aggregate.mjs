// Turns the per-run child results into one row per (workload, system, threads), with medians, ranges and the
// Kiln/peer ratios the targets are stated in.
import { summarize } from './stats.mjs';

const key = (workload, system, threads) => `${workload}|${system}|${threads}`;

/**
 * Groups raw measurements into rows in the order workloads × variants were planned; a pair that was not measured
 * gets a row saying why (`notMeasured`) rather than disappearing from the table.
 */
export function aggregate(measurements, workloads, variants, skipped = []) {
  const rows = [];
  const order = ['kiln', 'tfjs-cpu', 'tfjs-wasm', 'torch'];
  const all = [...variants, ...skipped.map((s) => ({ ...s, skipped: true }))].sort(
    (a, b) => order.indexOf(a.system) - order.indexOf(b.system) || a.threads - b.threads,
  );
  for (const w of workloads) {
    for (const v of all) {
      if (v.skipped) {
        rows.push({ ...emptyRow(w.id, v.system, v.threads), notMeasured: v.reason });
        continue;
      }
      const mine = measurements.filter((m) => m.workload === w.id && m.system === v.system && m.threads === v.threads);
      if (mine.length === 0) continue;
      const ok = mine.filter((m) => m.result).map((m) => m.result);
      const phase = (name) => {
        const cannot = ok.find((r) => r[name]?.cannot)?.[name].cannot ?? null;
        const s = summarize(ok.map((r) => r[name]?.samplesPerSec));
        return { s, cannot, oneBatch: ok.some((r) => r[name]?.fromWarmup) };
      };
      const train = phase('train');
      const infer = phase('infer');
      const rss = summarize(ok.map((r) => r.peakRssMiB));
      const used = [...new Set(ok.map((r) => r.threads))];
      rows.push({
        workload: w.id,
        system: v.system,
        threads: used.length === 1 ? used[0] : v.threads,
        threadsRequested: v.threads,
        batch: mine[0].batch,
        trainSamplesPerSec: train.s?.median ?? null,
        trainSamplesPerSecMin: train.s?.min ?? null,
        trainSamplesPerSecMax: train.s?.max ?? null,
        trainCannot: train.cannot,
        trainSingleBatch: train.oneBatch,
        inferSamplesPerSec: infer.s?.median ?? null,
        inferSamplesPerSecMin: infer.s?.min ?? null,
        inferSamplesPerSecMax: infer.s?.max ?? null,
        inferCannot: infer.cannot,
        peakRssMiB: rss?.median ?? null,
        peakRssMiBMin: rss?.min ?? null,
        peakRssMiBMax: rss?.max ?? null,
        runs: ok.length,
        errors: mine.filter((m) => m.error).map((m) => `run ${m.run}: ${m.error}`),
        lingered: mine.filter((m) => m.lingered).length,
        backend: ok[0]?.backend ?? null,
        perRun: mine.map((m) => ({ run: m.run, ...(m.result ?? { error: m.error }), ...(m.lingered ? { lingered: m.lingered } : {}) })),
      });
    }
  }
  addRatios(rows);
  return rows;
}

function emptyRow(workload, system, threads) {
  const row = { workload, system, threads, threadsRequested: threads, batch: null, runs: 0, errors: [], lingered: 0, perRun: [] };
  for (const p of ['trainSamplesPerSec', 'inferSamplesPerSec', 'peakRssMiB']) Object.assign(row, { [p]: null, [`${p}Min`]: null, [`${p}Max`]: null });
  return Object.assign(row, { trainCannot: null, inferCannot: null, trainSingleBatch: false, backend: null });
}

/**
 * Kiln/peer ratios: each peer against Kiln at the same thread count (Kiln at 1 thread when that count was not
 * measured, recorded in `ratioAgainst`); each Kiln row above 1 thread against Kiln at 1 thread (the scaling of
 * target 5). Above 1 means Kiln is faster.
 */
function addRatios(rows) {
  const measured = rows.filter((r) => !r.notMeasured);
  const byKey = new Map(measured.map((r) => [key(r.workload, r.system, r.threadsRequested), r]));
  for (const r of rows) {
    if (r.notMeasured) {
      Object.assign(r, { ratioAgainst: null, kilnOverPeerTrain: null, kilnOverPeerInfer: null, kilnRssOverPeer: null });
      continue;
    }
    const kiln = r.system === 'kiln'
      ? (r.threadsRequested > 1 ? byKey.get(key(r.workload, 'kiln', 1)) : null)
      : (byKey.get(key(r.workload, 'kiln', r.threadsRequested)) ?? byKey.get(key(r.workload, 'kiln', 1)));
    const ratio = (name) => {
      const a = r.system === 'kiln' ? r[name] : kiln?.[name];
      const b = r.system === 'kiln' ? kiln?.[name] : r[name];
      return a && b ? a / b : null;
    };
    r.ratioAgainst = kiln ? `kiln ${kiln.threadsRequested} thread${kiln.threadsRequested > 1 ? 's' : ''}` : null;
    r.kilnOverPeerTrain = ratio('trainSamplesPerSec');
    r.kilnOverPeerInfer = ratio('inferSamplesPerSec');
    // Memory the other way round: Kiln's peak RSS over the peer's (below 1 means Kiln uses less; target 6).
    r.kilnRssOverPeer = r.system !== 'kiln' && kiln?.peakRssMiB && r.peakRssMiB ? kiln.peakRssMiB / r.peakRssMiB : null;
  }
}
