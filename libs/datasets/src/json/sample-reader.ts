import { DatasetError } from '../core/dataset-error.js';
import { float32Problem, isStorableFloat32 } from '../core/float32.js';

/** Where a part's samples go once read. */
export interface SampleSink {
  /** The first sample is complete: it fixes the per-sample shape (a scalar sample is [1]). */
  first(shape: number[], values: Float32Array): void;
  /** The array and offset the next sample's values are written to (called when a later sample starts). */
  target(): Float32Array;
  targetOffset(): number;
  /** A later sample is complete. */
  end(): void;
  /** A string sample (class name); null when the part does not accept strings. */
  string: ((value: string) => void) | null;
}

/**
 * Reads the samples of one JSON part (`x` or `y`: an array of samples) from tokenizer events, checking that every
 * sample is nested exactly like the first: same depth everywhere, same length at each level. Values of later samples
 * are written straight to the sink's array; only the first sample is buffered (its size is not known until it ends).
 */
export class SampleReader {
  /** Index of the sample being read. */
  sample = 0;
  private depth = 0; // arrays open inside the current sample
  private readonly counts: number[] = [0]; // counts[d]: children read so far by the open array at depth d
  private readonly dims: number[] = [0]; // dims[d]: length of every array at depth d, fixed by the first sample
  private leafDepth = -1; // depth of the numbers (0 when samples are scalars)
  private stringSamples: boolean | null = null;
  private out: Float32Array = new Float32Array(64);
  private base = 0;
  private k = 0; // values written in the current sample

  constructor(readonly part: 'x' | 'y', private readonly sink: SampleSink, private readonly numberText: () => string) {}

  /** The JSON path being read, for messages. */
  path(levels = this.depth): string {
    return formatPath(this.part, this.indices(levels));
  }

  beginArray(): void {
    const d = this.depth;
    if (d === 0) this.startSample('an array');
    else this.child(d);
    if (this.leafDepth !== -1 && d >= this.leafDepth) throw this.kindMismatch(this.indices(d), 'an array', 'a number');
    this.depth = d + 1;
    this.counts[d + 1] = 0;
  }

  endArray(): void {
    const d = this.depth;
    const n = this.counts[d]!;
    const indices = this.indices(d - 1);
    if (n === 0) {
      const ref = this.sample === 0 ? '' : `; ${formatPath(this.part, reference(indices))} had ${this.dims[d]}`;
      throw this.ragged(indices, `${formatPath(this.part, indices)} is empty${ref || '; samples need at least one value at every level'}`);
    }
    const expected = this.dims[d];
    if (expected === undefined) this.dims[d] = n;
    else if (n !== expected) {
      throw this.ragged(indices, `${formatPath(this.part, indices)} has ${n} ${d === this.leafDepth ? 'values' : 'elements'}; `
        + `${formatPath(this.part, reference(indices))} had ${expected}`);
    }
    this.depth = d - 1;
    if (d > 1) this.counts[d - 1]!++;
    else this.endSample();
  }

  number(v: number): void {
    const d = this.depth;
    if (d === 0) this.startSample('a number');
    else this.child(d);
    if (this.leafDepth === -1) this.leafDepth = d;
    else if (d !== this.leafDepth) throw this.kindMismatch(this.indices(d), 'a number', 'an array');
    if (!isStorableFloat32(v)) {
      const path = this.path(d);
      throw new DatasetError('INVALID_VALUE', `${path}: expected a finite number, received ${this.numberText()} (${float32Problem(v)})`, {
        row: this.sample + 1,
        column: this.part,
        details: { path, received: this.numberText() },
      });
    }
    if (this.sample === 0) this.pushFirst(v);
    else this.out[this.base + this.k++] = v;
    if (d === 0) this.endSample();
    else this.counts[d]!++;
  }

  string(value: string): void {
    const d = this.depth;
    const path = this.path(d);
    const where = { row: this.sample + 1, column: this.part, details: { path, received: value } };
    if (this.part === 'x') {
      throw new DatasetError('UNSUPPORTED', `${path}: expected a finite number, received the string ${JSON.stringify(value.slice(0, 40))}; `
        + 'categorical (text) features are not supported: encode them as numbers', where);
    }
    if (d > 0 || !this.sink.string) {
      throw new DatasetError('INVALID_LABEL', `${path}: expected a number, received the string ${JSON.stringify(value.slice(0, 40))}; `
        + 'class names are accepted only as whole labels ("y": ["cat", "dog", ...])', where);
    }
    this.startSample('a string');
    this.sink.string(value);
    this.sample++;
  }

  /** Anything else where a value belongs: `null`, `true`, an object. */
  invalid(received: string): DatasetError {
    const path = this.path(this.depth);
    const expected = this.part === 'y' ? 'a number or a class name' : 'a finite number';
    return new DatasetError('INVALID_VALUE', `${path}: expected ${expected}, received ${received}`, {
      row: this.sample + 1,
      column: this.part,
      details: { path, received },
    });
  }

  private startSample(kind: string): void {
    const isString = kind === 'a string';
    if (this.stringSamples === null) this.stringSamples = isString;
    else if (this.stringSamples !== isString) {
      const was = this.stringSamples ? 'a string' : this.leafDepth === 0 ? 'a number' : 'an array';
      throw this.ragged([this.sample], `${this.part}[${this.sample}] is ${kind}; ${this.part}[0] was ${was} `
        + '(labels are either all class names or all numbers)');
    }
    if (this.sample > 0 && !isString) {
      if (this.leafDepth === 0 && kind === 'an array') throw this.kindMismatch([this.sample], kind, 'a number');
      this.out = this.sink.target();
      this.base = this.sink.targetOffset();
    }
    this.k = 0;
  }

  /** A child begins inside the open array at depth d: it must not exceed that level's length. */
  private child(d: number): void {
    const expected = this.dims[d];
    if (expected !== undefined && this.counts[d]! >= expected) {
      const indices = this.indices(d - 1);
      throw this.ragged(indices, `${formatPath(this.part, indices)} has more than ${expected} ${d === this.leafDepth ? 'values' : 'elements'}; `
        + `${formatPath(this.part, reference(indices))} had ${expected}`);
    }
  }

  private endSample(): void {
    if (this.sample === 0) {
      const shape = this.leafDepth === 0 ? [1] : this.dims.slice(1, this.leafDepth + 1);
      this.sink.first(shape, this.out.subarray(0, this.k));
    } else {
      this.sink.end();
    }
    this.sample++;
  }

  private pushFirst(v: number): void {
    if (this.k === this.out.length) {
      const next = new Float32Array(this.out.length * 2);
      next.set(this.out);
      this.out = next;
    }
    this.out[this.k++] = v;
  }

  /** [sample, index at depth 1, ..., index at depth `levels`]. */
  private indices(levels: number): number[] {
    const out = [this.sample];
    for (let d = 1; d <= levels; d++) out.push(this.counts[d]!);
    return out;
  }

  private kindMismatch(indices: number[], kind: string, was: string): DatasetError {
    return this.ragged(indices, `${formatPath(this.part, indices)} is ${kind}; ${formatPath(this.part, reference(indices))} was ${was}`);
  }

  private ragged(indices: number[], message: string): DatasetError {
    const path = formatPath(this.part, indices);
    return new DatasetError('RAGGED', message, { row: indices[0]! + 1, column: this.part, details: { path } });
  }
}

/** `x[12][3]`. */
export function formatPath(part: string, indices: readonly number[]): string {
  return part + indices.map((i) => `[${i}]`).join('');
}

/**
 * The element that fixed the expected length or kind: the same position in the first sample, or, inside the first
 * sample, the first sibling at the deepest level that differs (x[0][3] → x[0][0]).
 */
function reference(indices: readonly number[]): number[] {
  const ref = [...indices];
  if (ref[0]! > 0) ref[0] = 0;
  else {
    for (let i = ref.length - 1; i > 0; i--) {
      if (ref[i] !== 0) {
        ref[i] = 0;
        break;
      }
    }
  }
  return ref;
}
