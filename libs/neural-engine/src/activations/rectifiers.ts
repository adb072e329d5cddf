import { z } from 'zod';
import { defineActivation, noParams } from './definition.js';
import { ElementwiseActivation, type ScalarActivation } from './elementwise.js';

/*
 * Piecewise-linear rectifiers: relu (with Keras 3's negativeSlope / maxValue / threshold), leaky_relu, relu6 and
 * threshold. At the corners the derivative takes the one-sided value TensorFlow uses (relu'(0) = 0).
 */

const reluDefaults = { negativeSlope: 0, maxValue: null, threshold: 0 };

/** max(x, 0), the common case, with its backend kernel. */
const plainRelu: ScalarActivation = { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), kernel: 'relu' };

/**
 * Keras 3 `relu(x, negative_slope, max_value, threshold)`, reproducing its exact composition: with only a slope it is
 * leaky_relu; otherwise x is kept where x > threshold (plain max(x, 0) when threshold is 0), clipped to
 * [0, maxValue] when maxValue is set, and negativeSlope·max(threshold - x, 0) is subtracted.
 */
export function reluFunction(negativeSlope: number, maxValue: number | null, threshold: number): ScalarActivation {
  if (negativeSlope !== 0 && maxValue === null && threshold === 0) return leakyReluFunction(negativeSlope);
  if (negativeSlope === 0 && maxValue === null && threshold === 0) return plainRelu;
  const kept = threshold !== 0 ? (x: number) => (x > threshold ? x : 0) : (x: number) => Math.max(x, 0);
  const keptSlope = threshold !== 0 ? (x: number) => (x > threshold ? 1 : 0) : (x: number) => (x > 0 ? 1 : 0);
  return {
    f(x) {
      let y = kept(x);
      if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
      if (negativeSlope !== 0) y -= negativeSlope * Math.max(threshold - x, 0);
      return y;
    },
    df(x) {
      let d = keptSlope(x);
      if (maxValue !== null) {
        const k = kept(x);
        if (k < 0 || k >= maxValue) d = 0;
      }
      // At x = threshold this gives the left derivative (negativeSlope), a true one-sided slope; autodiff of Keras'
      // composition would give 0 there, which is neither side's.
      if (negativeSlope !== 0 && x <= threshold) d += negativeSlope;
      return d;
    },
  };
}

/** x for x ≥ 0, negativeSlope·x below (TensorFlow's leaky_relu, also for slopes above 1). */
export function leakyReluFunction(negativeSlope: number): ScalarActivation {
  return {
    f: (x) => (x >= 0 ? x : negativeSlope * x),
    df: (x) => (x > 0 ? 1 : negativeSlope),
  };
}

/** Keras `relu(x, negative_slope=0, max_value=None, threshold=0)`. */
export const relu = defineActivation({
  name: 'relu',
  params: z.object({
    /** Slope below the threshold. */
    negativeSlope: z.number().optional(),
    /** Saturation value (the largest output); null for none. */
    maxValue: z.number().nullable().optional(),
    /** Inputs at or below it are damped (or zeroed). */
    threshold: z.number().optional(),
  }),
  create: ({ negativeSlope = 0, maxValue = null, threshold = 0 }) =>
    new ElementwiseActivation('relu', reluFunction(negativeSlope, maxValue, threshold), { negativeSlope, maxValue, threshold }, reluDefaults),
});

/** Keras `leaky_relu(x, negative_slope=0.2)`. */
export const leakyRelu = defineActivation({
  name: 'leaky_relu',
  params: z.object({ negativeSlope: z.number().optional() }),
  create: ({ negativeSlope = 0.2 }) =>
    new ElementwiseActivation('leaky_relu', leakyReluFunction(negativeSlope), { negativeSlope }, { negativeSlope: 0.2 }),
});

/** Keras `relu6`: min(max(x, 0), 6). */
export const relu6 = defineActivation({
  name: 'relu6',
  params: noParams,
  create: () => new ElementwiseActivation('relu6', reluFunction(0, 6, 0)),
});

/** Keras `threshold(x, threshold, default_value)`: x where x > threshold, else defaultValue. */
export const threshold = defineActivation({
  name: 'threshold',
  // Keras 3 `threshold(x, threshold, default_value)`: both arguments are required.
  params: z.object({ threshold: z.number(), defaultValue: z.number() }),
  create: ({ threshold, defaultValue }) =>
    new ElementwiseActivation(
      'threshold',
      { f: (x) => (x > threshold ? x : defaultValue), df: (x) => (x > threshold ? 1 : 0) },
      { threshold, defaultValue },
    ),
});
