import type { FloatArray } from '../tensor.js';
import { type ActivationKernel, scalarActivation, scalarDerivative } from './activations.js';

/*
 * One LSTM step fused into a pass per direction, for cells whose activations have kernels (Keras's default sigmoid
 * gates and tanh cell among them). The unfused cell ran ~15 tensor ops a step, each allocating; here every element
 * of a row goes through the same float operations in the same order as those ops did, and every intermediate the
 * ops stored is stored (and re-read) here too, so results are bitwise equal in float32 and float64 alike.
 *
 * Layout: z, gates and dz are [rows, 4·units], gate blocks i | f | c | o (Keras); the rest are [rows, units].
 */

/** The activations of a fused LSTM cell: `gate` for i, f, o (Keras recurrent_activation), `cell` for c (activation). */
export interface LstmKinds {
  readonly gate: ActivationKernel;
  readonly cell: ActivationKernel;
}

/** What one step's forward pass keeps for its backward pass (tensors of a Backend: see Backend.lstmCell). */
export interface LstmStepTensors<T> {
  /** Pre-activations [rows, 4·units]. */
  readonly z: T;
  /** Activated gates i, f, g, o [rows, 4·units]. */
  readonly gates: T;
  readonly cPrev: T;
  readonly c: T;
  /** cell(c), the factor of o in h. */
  readonly cellOut: T;
}

/**
 * gates = (gate(z_i), gate(z_f), cell(z_c), gate(z_o)); c = f·cPrev + i·g; cellOut = cell(c); h = o·cellOut, over rows
 * [rowStart, rowEnd).
 */
export function lstmCellForward(
  kinds: LstmKinds, units: number, z: FloatArray, cPrev: FloatArray,
  gates: FloatArray, c: FloatArray, cellOut: FloatArray, h: FloatArray, rowStart: number, rowEnd: number,
): void {
  const gate = scalarActivation(kinds.gate);
  const cell = scalarActivation(kinds.cell);
  const u = units;
  for (let r = rowStart; r < rowEnd; r++) {
    const zr = r * 4 * u;
    const sr = r * u;
    for (let j = 0; j < u; j++) {
      const ii = zr + j;
      const fi = ii + u;
      const gi = fi + u;
      const oi = gi + u;
      gates[ii] = gate(z[ii]!);
      gates[fi] = gate(z[fi]!);
      gates[gi] = cell(z[gi]!);
      gates[oi] = gate(z[oi]!);
      const n = sr + j;
      c[n] = gates[fi]! * cPrev[n]! + gates[ii]! * gates[gi]!;
      cellOut[n] = cell(c[n]!);
      h[n] = gates[oi]! * cellOut[n]!;
    }
  }
}

/**
 * The step's backward pass for dL/dh and dL/dc (from the next step): dz = dL/dz [rows, 4·units] and dcPrev = dL/dc of
 * the previous step through the carry, over rows [rowStart, rowEnd). dcPrev also holds dL/dc's intermediates while
 * a row is computed (each rounded as the unfused ops stored it).
 */
export function lstmCellBackward(
  kinds: LstmKinds, units: number, z: FloatArray, gates: FloatArray, cPrev: FloatArray, c: FloatArray, cellOut: FloatArray,
  dh: FloatArray, dcNext: FloatArray, dz: FloatArray, dcPrev: FloatArray, rowStart: number, rowEnd: number,
): void {
  const gateSlope = scalarDerivative(kinds.gate);
  const cellSlope = scalarDerivative(kinds.cell);
  const u = units;
  for (let r = rowStart; r < rowEnd; r++) {
    const zr = r * 4 * u;
    const sr = r * u;
    for (let j = 0; j < u; j++) {
      const ii = zr + j;
      const fi = ii + u;
      const gi = fi + u;
      const oi = gi + u;
      const n = sr + j;
      const o = gates[oi]!;
      const t = cellOut[n]!;
      dz[oi] = dh[n]! * t;
      dz[oi] = dz[oi]! * gateSlope(z[oi]!, o);
      dcPrev[n] = dh[n]! * o;
      dcPrev[n] = dcPrev[n]! * cellSlope(c[n]!, t);
      dcPrev[n] = dcPrev[n]! + dcNext[n]!;
      const dc = dcPrev[n]!;
      const i = gates[ii]!;
      const f = gates[fi]!;
      const g = gates[gi]!;
      dz[ii] = dc * g;
      dz[ii] = dz[ii]! * gateSlope(z[ii]!, i);
      dz[fi] = dc * cPrev[n]!;
      dz[fi] = dz[fi]! * gateSlope(z[fi]!, f);
      dz[gi] = dc * i;
      dz[gi] = dz[gi]! * cellSlope(z[gi]!, g);
      dcPrev[n] = dc * f;
    }
  }
}
