import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../rng.js';

/*
 * Small real datasets and classic toy problems for engine tests. The CSV files live in test/datasets at the repository
 * root (see its README for their provenance).
 */

/** A dataset as nested arrays: features and integer class labels. */
export interface LabelledData {
  x: number[][];
  y: number[];
}

/** Reads one of test/datasets/*.csv: header row, label in the last column. `scale` divides every feature. */
export function readCsvDataset(file: string, scale = 1): LabelledData {
  const path = fileURLToPath(new URL(`../../../../test/datasets/${file}`, import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines) {
    const cells = line.split(',').map(Number);
    y.push(cells.pop()!);
    x.push(cells.map((v) => v / scale));
  }
  return { x, y };
}

/** Standardizes columns with the mean and standard deviation of `fit` (as one would before training). */
export function standardize(fit: number[][], ...data: number[][][]): void {
  const cols = fit[0]!.length;
  const mean = new Array<number>(cols).fill(0);
  const sd = new Array<number>(cols).fill(0);
  for (const row of fit) row.forEach((v, j) => (mean[j]! += v / fit.length));
  for (const row of fit) row.forEach((v, j) => (sd[j]! += (v - mean[j]!) ** 2 / fit.length));
  for (const set of [fit, ...data]) for (const row of set) row.forEach((v, j) => (row[j] = (v - mean[j]!) / (Math.sqrt(sd[j]!) || 1)));
}

/** One-hot rows for integer labels. */
export function oneHot(labels: number[], classes: number): number[][] {
  return labels.map((c) => Array.from({ length: classes }, (_, j) => (j === c ? 1 : 0)));
}

/** The two interleaved spirals (classic hard toy problem): `perClass` points per arm, with a little noise. */
export function twoSpirals(perClass: number, seed = 1): LabelledData {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    const t = (i / perClass) * 3 * Math.PI + 0.5;
    const r = t / (3 * Math.PI + 0.5);
    for (const cls of [0, 1]) {
      const sign = cls === 0 ? 1 : -1;
      x.push([sign * r * Math.cos(t) + rng.normal(0, 0.01), sign * r * Math.sin(t) + rng.normal(0, 0.01)]);
      y.push(cls);
    }
  }
  return { x, y };
}

/** Fraction of rows whose argmax equals the label. */
export function accuracyOf(predictions: ArrayLike<number>, classes: number, labels: number[]): number {
  let correct = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let j = 1; j < classes; j++) if (predictions[i * classes + j]! > predictions[i * classes + best]!) best = j;
    if (best === label) correct++;
  });
  return correct / labels.length;
}
