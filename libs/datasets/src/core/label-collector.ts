import { DatasetError } from './dataset-error.js';
import { GrowableFloat32, GrowableInt32 } from './growable.js';

/** classCounts is given for one label column with at most this many distinct classes. */
export const MAX_COUNTED_CLASSES = 1024;
/** More distinct string labels than this is not a classification dataset we can train on. */
export const MAX_STRING_CLASSES = 65536;

/** The labels of a whole dataset, ready to emit. */
export interface CollectedLabels {
  rows: number;
  /** Values per sample (1 for a label column or scalar labels). */
  width: number;
  y: Float32Array;
  /** Sorted class names when labels were strings: y holds indices into it. */
  classNames: string[] | null;
  classCounts: Record<string, number> | null;
}

/**
 * Holds y in memory until the end of the upload. Labels are a few floats per sample (4 bytes for a class), small next
 * to x, and holding them lets string classes get their final indices (names sorted) before any y chunk is emitted, so
 * a class index never changes after it is stored.
 *
 * Two modes: numbers (any width), or strings (one per sample, classes). A CSV label cell is text that may be either;
 * see addCsvNumber and addCsvText.
 */
export class LabelCollector {
  private mode: 'numbers' | 'strings' | null = null;
  private width = 0;
  private rows = 0;
  private readonly values = new GrowableFloat32();
  // String classes: one code per row into `names`, in order of first appearance.
  private codes = new GrowableInt32();
  private names = new Map<string, number>();
  // CSV: while labels are numeric, the code of each distinct number (its first text is in `names`), dropped past
  // MAX_STRING_CLASSES distinct numbers: that column is a regression target, not classes.
  private textAlive = true;
  private numberCodes = new Map<number, number>();
  private pendingNumber = 0;
  private pendingRowName = false;

  get count(): number {
    return this.rows;
  }

  /** Adds a sample's numeric label(s); `width` must be the same for every sample. */
  addNumbers(values: ArrayLike<number>, start = 0, width = values.length - start): void {
    if (this.mode === null) {
      this.mode = 'numbers';
      this.width = width;
    }
    for (let k = 0; k < width; k++) this.values.push(values[start + k]!);
    this.rows++;
  }

  /** Adds a sample's single numeric label. */
  addNumber(v: number): void {
    if (this.mode === null) {
      this.mode = 'numbers';
      this.width = 1;
    }
    this.values.push(v);
    this.rows++;
  }

  /** Adds a string class label (JSON). */
  addString(name: string): void {
    if (this.mode === null) {
      this.mode = 'strings';
      this.width = 1;
    }
    this.codes.push(this.intern(name));
    this.rows++;
  }

  /**
   * Adds a numeric CSV label of a single label column. Returns true when this number was not seen before and its
   * text must be given with nameNumber(): while labels are numbers, each distinct number keeps the text it was first
   * written as, so that a later non-numeric cell (`1`, `2`, `cat`) turns the column into classes named as written.
   * (`1` and `1.0` are then one class, named by whichever came first.)
   */
  addCsvNumber(value: number): boolean {
    if (this.mode === null) {
      this.mode = 'numbers';
      this.width = 1;
    }
    this.rows++;
    if (this.mode === 'strings') {
      this.pendingRowName = true;
      return true;
    }
    this.values.push(value);
    if (!this.textAlive) return false;
    const code = this.numberCodes.get(value);
    if (code !== undefined) {
      this.codes.push(code);
      return false;
    }
    this.pendingNumber = value;
    return true;
  }

  /** The text of the number just added, when addCsvNumber() asked for it. */
  nameNumber(text: string): void {
    if (this.pendingRowName) {
      // The column already holds classes: this number is one more class name.
      this.pendingRowName = false;
      this.codes.push(this.intern(text));
      return;
    }
    const code = this.intern(text);
    this.numberCodes.set(this.pendingNumber, code);
    this.codes.push(code);
    if (this.names.size > MAX_STRING_CLASSES) this.dropText();
  }

  /** Adds a non-numeric CSV label of a single label column: from here on the column holds string classes. */
  addCsvText(text: string, row: number, column: string): void {
    if (this.mode === 'numbers' && !this.textAlive) {
      throw new DatasetError(
        'INVALID_LABEL',
        `row ${row}, column "${column}": label "${text}" is text, but the rows before it hold more than ${MAX_STRING_CLASSES} distinct numbers; `
        + 'a label column is either numbers or at most that many string classes',
        { row, column, details: { received: text } },
      );
    }
    this.mode = 'strings';
    this.width = 1;
    this.codes.push(this.intern(text));
    this.rows++;
  }

  /** Final y (class indices when labels were strings), class names and counts. */
  finish(): CollectedLabels {
    const rows = this.rows;
    if (this.mode === 'strings') return this.finishStrings();
    const y = this.values.toArray();
    return { rows, width: this.width, y, classNames: null, classCounts: this.width === 1 ? countIntegers(y) : null };
  }

  private finishStrings(): CollectedLabels {
    const sorted = [...this.names.keys()].sort();
    const indexOf = new Map(sorted.map((name, i) => [name, i]));
    const remap = new Int32Array(this.names.size);
    for (const [name, code] of this.names) remap[code] = indexOf.get(name)!;
    const y = new Float32Array(this.rows);
    const counts = new Float64Array(sorted.length);
    for (let r = 0; r < this.rows; r++) {
      const k = remap[this.codes.get(r)]!;
      y[r] = k;
      counts[k]!++;
    }
    const classCounts = sorted.length <= MAX_COUNTED_CLASSES ? Object.fromEntries(sorted.map((name, k) => [name, counts[k]!])) : null;
    return { rows: this.rows, width: 1, y, classNames: sorted, classCounts };
  }

  private intern(name: string): number {
    let code = this.names.get(name);
    if (code === undefined) {
      if (this.mode === 'strings' && this.names.size >= MAX_STRING_CLASSES) {
        throw new DatasetError('INVALID_LABEL', `labels have more than ${MAX_STRING_CLASSES} distinct string classes (at ${JSON.stringify(name)}); expected class names or numbers`, {
          details: { received: name },
        });
      }
      code = this.names.size;
      this.names.set(name, code);
    }
    return code;
  }

  private dropText(): void {
    this.textAlive = false;
    this.names = new Map();
    this.numberCodes = new Map();
    this.codes = new GrowableInt32();
  }
}

/** Count per integer label when every label is an integer and there are at most MAX_COUNTED_CLASSES of them. */
function countIntegers(y: Float32Array): Record<string, number> | null {
  const counts = new Map<number, number>();
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v)) return null;
    const c = counts.get(v);
    if (c === undefined) {
      if (counts.size === MAX_COUNTED_CLASSES) return null;
      counts.set(v, 1);
    } else {
      counts.set(v, c + 1);
    }
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  return Object.fromEntries(keys.map((k) => [String(k), counts.get(k)!]));
}
