/** Statistics of one flattened position (a CSV column, `x[3]`) over every sample. `std` is the population std. */
export interface ColumnStats {
  name: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
}

/**
 * Running per-position statistics with Welford's update in float64: one pass, numerically stable, and memory in the
 * width of a sample rather than the number of rows. Typed arrays keep a 150k-position sample (a 224×224×3 image) as
 * cheap as a 4-column CSV per value.
 */
export class StatsAccumulator {
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;

  constructor(readonly width: number) {
    this.mean = new Float64Array(width);
    this.m2 = new Float64Array(width);
    this.min = new Float64Array(width).fill(Infinity);
    this.max = new Float64Array(width).fill(-Infinity);
  }

  /** Adds `rows` samples laid out row-major in `data` (rows × width). */
  addRows(data: ArrayLike<number>, rows: number): void {
    const { width, mean, m2, min, max } = this;
    for (let r = 0; r < rows; r++) {
      const n = ++this.count;
      const inv = 1 / n;
      const base = r * width;
      for (let j = 0; j < width; j++) {
        const v = data[base + j]!;
        const delta = v - mean[j]!;
        const m = mean[j]! + delta * inv;
        mean[j] = m;
        m2[j]! += delta * (v - m);
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
  }

  /** One ColumnStats per position, named by `names[j]`. With no rows, everything is 0 (not NaN, which JSON drops). */
  result(names: (j: number) => string): ColumnStats[] {
    const out: ColumnStats[] = new Array(this.width);
    const n = this.count;
    for (let j = 0; j < this.width; j++) {
      out[j] = n === 0
        ? { name: names(j), count: 0, min: 0, max: 0, mean: 0, std: 0 }
        : { name: names(j), count: n, min: shortestFloat32(this.min[j]!), max: shortestFloat32(this.max[j]!), mean: this.mean[j]!, std: Math.sqrt(Math.max(0, this.m2[j]! / n)) };
    }
    return out;
  }
}

/**
 * The shortest decimal that is the same float32 as `v` (4.3 rather than 4.300000190734863): min and max are stored
 * float32 values, and people read them next to the numbers they uploaded.
 */
export function shortestFloat32(v: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}
