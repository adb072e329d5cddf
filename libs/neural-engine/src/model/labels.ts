import { DataError } from '../errors.js';
import { type Shape, formatShape, shapeSize } from '../tensor.js';
import { type ArrayData, type TensorInput, sampleCount, toArrayData } from './data.js';

/**
 * Validates labels against the model's output: either the same per-sample shape, or class indices (one per output
 * row: the output shape without its last axis, or with a trailing 1) for sparse losses.
 */
export function checkLabels(y: TensorInput, samples: number, outputShape: Shape, label: string): ArrayData {
  const ys = toArrayData(y, label);
  if (sampleCount(ys) !== samples) throw new DataError(`${label} has ${sampleCount(ys)} samples but x has ${samples}`);
  const per = ys.shape.slice(1);
  const matches = per.length === outputShape.length && per.every((d, i) => d === outputShape[i]);
  const classes = outputShape[outputShape.length - 1] ?? 1;
  const sparse = shapeSize(per) * classes === shapeSize(outputShape) && (per.length === outputShape.length - 1 || per[per.length - 1] === 1);
  if (!matches && !sparse) {
    throw new DataError(`${label} has per-sample shape ${formatShape(per, false)}; the model outputs ${formatShape(outputShape, false)} (labels must match it, or be class indices)`);
  }
  return ys;
}

/**
 * One weight per sample from sampleWeight and classWeight (multiplied when both are given), or null when neither is.
 * A sample's class is its label when labels are indices, else the argmax of its one-hot row; classes missing from
 * classWeight keep weight 1.
 */
export function sampleWeights(
  sampleWeight: ArrayLike<number> | undefined,
  samples: number,
  classWeight: Record<string, number> | undefined,
  ys: ArrayData,
): Float64Array | null {
  if (!sampleWeight && !classWeight) return null;
  const weights = new Float64Array(samples).fill(1);
  if (sampleWeight) {
    if (sampleWeight.length !== samples) throw new DataError(`sampleWeight has ${sampleWeight.length} values; expected one per sample (${samples})`);
    for (let i = 0; i < samples; i++) {
      const w = sampleWeight[i]!;
      if (!Number.isFinite(w) || w < 0) throw new DataError(`sampleWeight[${i}] is ${w}; expected a finite number >= 0`);
      weights[i] = w;
    }
  }
  if (classWeight) {
    const per = shapeSize(ys.shape.slice(1));
    for (let i = 0; i < samples; i++) {
      const cls = per === 1 ? Math.round(ys.data[i]!) : argmax(ys.data, i * per, per);
      weights[i]! *= classWeight[String(cls)] ?? 1;
    }
  }
  return weights;
}

function argmax(data: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (data[offset + j]! > data[offset + best]!) best = j;
  return best;
}
