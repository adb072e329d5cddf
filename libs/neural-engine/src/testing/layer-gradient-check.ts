import type { LayerConfig } from '../layers/layer.js';
import { createLayer } from '../layers/index.js';
import { Rng } from '../rng.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { float64Backend, maxRelativeError, numericGradient, testInputs } from './gradient-check.js';

/*
 * Finite-difference gradient check of any layer through the multi-tensor protocol, on the float64 backend:
 * L = Σ_k Σ y_k·r_k + activity penalty + weight-regularizer penalties, with fixed random r_k; the analytic dL/dx (every
 * differentiable input) and dL/dw (every weight) against centered differences. The model RNG is restored before
 * every forward, so random layers see the same draw each time.
 */

/** One gradient-check case. */
export interface LayerGradientCase {
  config: LayerConfig;
  /** Per-sample input shapes, one per input tensor. */
  inputShapes: Shape[];
  /** Batch size (default 2). */
  batch?: number;
  /** Explicit input values (full batch, row-major), per input; random in [-2, 2] with 0 and negatives otherwise. */
  inputs?: (ArrayLike<number> | undefined)[];
  /** Inputs that are not differentiated (integer ids); by default all are. */
  constantInputs?: number[];
  /** Mask set on the layer before every call ([batch, steps] of 0/1), for layers that consume masks. */
  mask?: { shape: Shape; values: number[] };
  /** Finite-difference step (default 1e-5: losses are O(1), so a larger step than 1e-6 cuts rounding noise). */
  h?: number;
  /** Run forward in training mode (default true). */
  training?: boolean;
}

/** Max relative errors: one per input (NaN for constant inputs) and one per weight, by weight name. */
export interface LayerGradientErrors {
  inputs: number[];
  weights: Record<string, number>;
}

/** Runs the check and returns the worst relative errors; tests assert them against a tolerance (typically 1e-6). */
export function checkLayerGradients(c: LayerGradientCase): LayerGradientErrors {
  const backend = float64Backend;
  const batch = c.batch ?? 2;
  const rng = new Rng(11);
  const layer = createLayer({ name: 'checked', ...c.config });
  layer.buildMany(c.inputShapes, { backend, rng });
  const xs: Tensor[] = c.inputShapes.map((shape, k) => {
    const full = [batch, ...shape];
    const given = c.inputs?.[k];
    return backend.fromValues(full, given ?? testInputs(shapeSize(full), 2, 3 + k));
  });
  const mask = c.mask ? backend.fromValues(c.mask.shape, c.mask.values) : null;
  const rs = layer.outputShapes.map((shape, k) => backend.fromValues([batch, ...shape], testInputs(batch * shapeSize(shape), 1, 50 + k)));
  const state = rng.getState();
  const seededState = layer.seededRng?.getState();
  const training = c.training ?? true;

  const loss = (): number => {
    rng.setState(state);
    if (seededState) layer.seededRng!.setState(seededState);
    layer.inputMask = mask;
    const ys = layer.callMany(xs, training);
    let l = layer.activityRegularizer ? layer.activityPenalty : 0;
    ys.forEach((y, k) => {
      for (let i = 0; i < y.size; i++) l += y.data[i]! * rs[k]!.data[i]!;
    });
    for (const v of layer.variables) if (v.regularizer) l += v.regularizer.penalty(v.value, backend);
    return l;
  };

  for (const v of layer.variables) backend.fill(v.grad, 0);
  loss();
  const dxs = layer.callBackwardMany(rs).map((d) => Float64Array.from(d.data));
  const analyticW = layer.variables.map((v) => {
    const g = backend.clone(v.grad);
    v.regularizer?.accumulateGradient(v.value, g, backend);
    return Float64Array.from(g.data);
  });

  const h = c.h ?? 1e-5;
  const inputs = xs.map((x, k) => {
    if (c.constantInputs?.includes(k)) return Number.NaN;
    const x0 = Float64Array.from(x.data);
    const numeric = numericGradient((probe) => {
      x.data.set(probe);
      return loss();
    }, x0, h);
    x.data.set(x0);
    return maxRelativeError(dxs[k]!, numeric);
  });
  const weights: Record<string, number> = {};
  layer.variables.forEach((v, k) => {
    if (!v.trainable) return;
    const w0 = Float64Array.from(v.value.data);
    const numeric = numericGradient((probe) => {
      v.value.data.set(probe);
      return loss();
    }, w0, h);
    v.value.data.set(w0);
    weights[v.name] = maxRelativeError(analyticW[k]!, numeric);
  });
  return { inputs, weights };
}
