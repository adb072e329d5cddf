// Summary statistics of repeated measurements: the median resists one disturbed run on a shared machine, and the
// min–max range shows how disturbed the runs were.

/** { median, min, max, n } of finite numbers, or null when there are none. */
export function summarize(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length };
}
