// The terminal table: one line per (workload, system, threads), medians with their min–max, and footnotes for what
// a cell cannot say in a few characters (a system that cannot train a workload, a single-batch measurement).

const SYSTEM_LABELS = { kiln: 'Kiln', 'tfjs-cpu': 'TF.js cpu', 'tfjs-wasm': 'TF.js wasm', torch: 'PyTorch' };

/** 12,345 / 123 / 12.3 / 1.23: about three significant figures, grouped thousands. */
export function formatRate(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function formatRatio(n) {
  if (n === null || n === undefined) return '—';
  return `${n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2)}×`;
}

/** Renders rows as an aligned text table followed by its footnotes. */
export function renderTable(rows) {
  const notes = [];
  const mark = (text) => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `[${i + 1}]`;
  };
  const rate = (r, name) => {
    if (r.notMeasured) return `not measured ${mark(r.notMeasured)}`;
    if (r[`${name}Cannot`]) return `cannot ${mark(`${SYSTEM_LABELS[r.system]} cannot ${name === 'train' ? 'train' : 'run'} ${r.workload}: ${r[`${name}Cannot`]}`)}`;
    const median = r[`${name}SamplesPerSec`];
    if (median === null) return r.errors.length ? `failed ${mark(`${SYSTEM_LABELS[r.system]} ${r.workload}: ${r.errors.join('; ')}`)}` : '—';
    const range = r.runs > 1 ? ` [${formatRate(r[`${name}SamplesPerSecMin`])}–${formatRate(r[`${name}SamplesPerSecMax`])}]` : '';
    const single = name === 'train' && r.trainSingleBatch ? ` ${mark('a single batch, timed as its own warm-up (one batch takes longer than the whole timed window)')}` : '';
    return `${formatRate(median)}${range}${single}`;
  };
  const ratio = (r, name) => {
    if (r.notMeasured) return '—';
    const v = r[`kilnOverPeer${name}`];
    if (r.system === 'kiln') return v === null ? '' : `${formatRatio(v)} ${mark('Kiln rows above 1 thread: speed-up over Kiln at 1 thread')}`;
    if (v === null) return '—';
    const against = r.ratioAgainst && r.ratioAgainst !== `kiln ${r.threadsRequested} thread${r.threadsRequested > 1 ? 's' : ''}`
      ? ` ${mark(`ratio against ${r.ratioAgainst}: Kiln was not measured at ${r.threadsRequested} threads`)}`
      : '';
    return `${formatRatio(v)}${against}`;
  };
  const header = ['workload', 'system', 'threads', 'train samples/s median [min–max]', 'infer samples/s median [min–max]', 'peak RSS MiB', 'Kiln/peer train', 'Kiln/peer infer', 'runs'];
  const lines = rows.map((r) => [
    r.workload,
    `${SYSTEM_LABELS[r.system] ?? r.system}${r.system === 'kiln' && r.backend ? ` (${r.backend})` : ''}`,
    String(r.threads),
    rate(r, 'train'),
    rate(r, 'infer'),
    r.notMeasured ? '—' : r.peakRssMiB === null ? '—' : `${Math.round(r.peakRssMiB)}${r.runs > 1 ? ` [${Math.round(r.peakRssMiBMin)}–${Math.round(r.peakRssMiBMax)}]` : ''}`,
    ratio(r, 'Train'),
    ratio(r, 'Infer'),
    `${r.runs}${r.errors.length ? ` (+${r.errors.length} failed ${mark(`${SYSTEM_LABELS[r.system]} ${r.workload}: ${r.errors.join('; ')}`)})` : ''}${r.lingered ? ` ${mark(`${r.lingered} process(es) did not exit within 15 s of reporting (a thread pool that does not shut down?) and were killed; their figures are kept`)}` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
  const fmt = (cells) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let previous = null;
  lines.forEach((l, i) => {
    if (previous !== null && rows[i].workload !== previous) out.push('');
    previous = rows[i].workload;
    out.push(fmt(l));
  });
  if (notes.length) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n');
}
