/*
 * The forward LSTM step with Keras's default activations (sigmoid gates, tanh cell), four units at a time: the one
 * place where training spends its time in transcendentals (W3: ~1 million a batch). exp is a degree-7 polynomial on
 * x - k·ln2 scaled by 2^k, in f32, within ~2 ulp of the exact value; tanh goes through expm1 so that it keeps its
 * relative precision near 0. Results are not bitwise equal to the JS kernel (which rounds Math.exp's float64 result),
 * but they are the same for every row whatever the batch, and the backward pass (src/kernels/lstm-cell.ts) uses only
 * what this stores.
 */

import { add, ld, mul, put, splat, sub } from './f64-lanes';
import { gemmPacked, packWhole } from './gemm';

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/**
 * 1.5·2^23: adding it to a float of magnitude below 2^22 rounds that float to the nearest integer (ties to even, as
 * f32x4.nearest does) and leaves the integer in the low bits of the sum, so one add gives k both as a float (sum - it)
 * and as exponent bits, without f32x4.nearest and i32x4.trunc_sat_f32x4_s (a 7-instruction sequence on x64).
 */
const ROUNDER: f32 = 12582912.0;
/** The bits of ROUNDER: the sum's bits minus these are k. */
const ROUNDER_BITS: i32 = 0x4b400000;

/** expm1 of |x| ≤ 88 by parts: e^x - 1 = 2^k·(q(r) + 1) - 1 with q(r) = e^r - 1 as a polynomial, r = x - k·ln2. */
// @ts-ignore: decorator
@inline function expm1x4(x: v128): v128 {
  const rounded = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const k = f32x4.sub(rounded, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  // q(r) = r + r²·s(r), s(r) = 1/2! + r/3! + … + r⁵/7!, by pairs (Estrin): (1/2 + r/6) + r²·(1/24 + r/120) +
  // r⁴·(1/720 + r/5040). Its chain of dependent operations is 7 long where Horner's is 14: the cell's latency, which
  // bounds it more than its operation count. Adding r last keeps q's leading term exact.
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const s01 = f32x4.add(f32x4.mul(r, f32x4.splat(1.0 / 6.0)), f32x4.splat(0.5));
  const s23 = f32x4.add(f32x4.mul(r, f32x4.splat(1.0 / 120.0)), f32x4.splat(1.0 / 24.0));
  const s45 = f32x4.add(f32x4.mul(r, f32x4.splat(1.0 / 5040.0)), f32x4.splat(1.0 / 720.0));
  const s = f32x4.add(f32x4.add(s01, f32x4.mul(r2, s23)), f32x4.mul(r4, s45));
  const q = f32x4.add(r, f32x4.mul(r2, s));
  // 2^k from the exponent bits (k within [-127, 128] after the caller's clamp).
  const scale = i32x4.shl(i32x4.add(rounded, i32x4.splat(127 - ROUNDER_BITS)), 23);
  // 2^k·q + (2^k - 1): exact subtraction for k = 0, where the relative precision of expm1 matters.
  return f32x4.add(f32x4.mul(scale, q), f32x4.sub(scale, f32x4.splat(1)));
}

/**
 * 1 / (1 + e^-x), x clamped to ±87 (beyond it the result is 0 or 1 in f32 anyway, up to a denormal). The clamps are
 * pmax/pmin with the value first: one instruction each on x64 (min/max need NaN and signed-zero fix-ups), and a NaN
 * passes through them as it does through min/max.
 */
// @ts-ignore: decorator
@inline function sigmoidx4(x: v128): v128 {
  const t = f32x4.pmin(f32x4.pmax(f32x4.neg(x), f32x4.splat(-87)), f32x4.splat(87));
  // 1 + e^t = expm1(t) + 2.
  return f32x4.div(f32x4.splat(1), f32x4.add(expm1x4(t), f32x4.splat(2)));
}

/** tanh(x) = sign(x)·e/(e + 2) with e = expm1(2|x|); |x| clamped to 9 (tanh(9) rounds to 1 in f32). */
// @ts-ignore: decorator
@inline function tanhx4(x: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(x), f32x4.splat(9));
  const e = expm1x4(f32x4.add(a, a));
  const t = f32x4.div(e, f32x4.add(e, f32x4.splat(2)));
  // Copy the sign bit of x onto t (tanh is odd; -0 stays -0).
  return v128.or(v128.and(x, i32x4.splat(0x80000000)), t);
}

/**
 * gates = (σ(z_i), σ(z_f), tanh(z_c), σ(z_o)), c = f·cPrev + i·g, cellOut = tanh(c), h = o·cellOut for rows [r0, r1);
 * z and gates [rows, 4·units] (blocks i | f | c | o), the rest [rows, units]. A partial group of units at the end of a
 * row is computed four lanes wide through a scratch copy, so every unit goes through the same SIMD operations.
 */
export function lstmForwardSigmoidTanh(
  z: usize, cPrev: usize, gates: usize, c: usize, cellOut: usize, h: usize, units: i32, r0: i32, r1: i32, scratch: usize,
): void {
  const ub = <usize>units << 2;
  for (let r = r0; r < r1; r++) {
    const sr = <usize>r * ub;
    cellRow(z + sr * 4, 0, cPrev + sr, gates + sr * 4, c + sr, cellOut + sr, h + sr, units, scratch);
  }
}

/**
 * An LSTM layer's whole forward pass, for rows [r0, r1) of the batch. For each step t (ascending, or descending with
 * goBackwards): z = h·recurrentKernel (gemm over the same rows), then the step above on z + xz[:, t] with c and h
 * carried (the sum is formed as the cell reads z, never stored). xz is [batch, steps, 4·units] (input projections, bias included), recurrentKernel [units, 4·units]; h and c
 * [batch, units] hold the initial states and receive the last ones; seq [batch, steps, units], when not 0, receives
 * each step's h at the step's position in the loop (Keras' order with goBackwards). z [batch, 4·units] is working
 * memory; `scratch` holds gemmScratchBytes() bytes, where the recurrent kernel is packed once for every step when it
 * fits (up to 128 units; see packWhole in gemm.ts).
 *
 * For training, `record` (when not 0) receives what the backward pass needs, per row and step t: [gates (4·units) |
 * cPrev | c | cellOut] (RECORD_WIDTH units), and hPrev [batch, steps, units] the h each step started from.
 *
 * Each row goes through exactly the operations of the step-by-step path (gemm, an f32 add, lstmForwardSigmoidTanh's
 * lanes), so the results are bitwise equal to it, whatever the split of rows. Rows never meet (a sample's states
 * depend on that sample only), so threads can each run a block of rows over all steps without waiting for each other.
 */
export function lstmSequenceSigmoidTanh(
  xz: usize, recurrentKernel: usize, h: usize, c: usize, seq: usize, z: usize, record: usize, hPrev: usize,
  batch: i32, steps: i32, units: i32, goBackwards: bool, r0: i32, r1: i32, scratch: usize,
): void {
  if (r1 <= r0) return;
  const ub = <usize>units << 2;
  const width = units * 4;
  const packed = packWhole(false, recurrentKernel, units, width, scratch);
  for (let k = 0; k < steps; k++) {
    const t = goBackwards ? steps - 1 - k : k;
    gemmPacked(false, false, h, recurrentKernel, z, batch, units, width, r0, r1, false, scratch, packed);
    for (let r = r0; r < r1; r++) {
      const zr = z + <usize>r * 4 * ub;
      const at = <usize>r * <usize>steps + <usize>t;
      const xr = xz + at * 4 * ub;
      const sr = <usize>r * ub;
      if (record) {
        const rec = record + at * RECORD_WIDTH * ub;
        copyFloats(hPrev + at * ub, h + sr, units, scratch);
        copyFloats(rec + 4 * ub, c + sr, units, scratch);
        cellRow(zr, xr, rec + 4 * ub, rec, rec + 5 * ub, rec + 6 * ub, h + sr, units, scratch);
        copyFloats(c + sr, rec + 5 * ub, units, scratch);
      } else {
        cellRow(zr, xr, c + sr, zr, c + sr, 0, h + sr, units, scratch);
      }
      if (seq) copyFloats(seq + (<usize>r * <usize>steps + <usize>k) * ub, h + sr, units, scratch);
    }
  }
}

/** Units per row and step of a training record: gates (4), cPrev, c, cellOut. */
const RECORD_WIDTH: usize = 7;
/** lstmSequenceBackwardSigmoidTanh's flags. */
const GO_BACKWARDS = 1;
const RETURN_SEQUENCES = 2;

/**
 * The backward pass of lstmSequenceSigmoidTanh over its record, for rows [r0, r1): from the last step to the first,
 * dh += dOut (each step's with RETURN_SEQUENCES, else the last step's), the backward step (dz written to dxz[:, t]),
 * then dh = dz·recurrentKernelᵀ (gemm) and dc = dcPrev, both added to +0 as the step-by-step path does. dh and dc
 * [batch, units] hold the gradients of the last states (zeros when none) and receive those of the initial states.
 * `work` holds dz [batch, 4·units] then dcPrev [batch, units]. The recurrent kernel's gradient, which sums over rows,
 * is left to the caller (one product over every step: hPrevᵀ·dxz).
 */
export function lstmSequenceBackwardSigmoidTanh(
  record: usize, recurrentKernel: usize, dOut: usize, dh: usize, dc: usize, dxz: usize, work: usize,
  batch: i32, steps: i32, units: i32, flags: i32, r0: i32, r1: i32, scratch: usize,
): void {
  if (r1 <= r0) return;
  const ub = <usize>units << 2;
  const width = units * 4;
  const dzWork = work;
  const dcWork = work + <usize>batch * 4 * ub;
  const sequences = (flags & RETURN_SEQUENCES) != 0;
  const packed = packWhole(true, recurrentKernel, width, units, scratch);
  for (let k = steps - 1; k >= 0; k--) {
    const t = (flags & GO_BACKWARDS) != 0 ? steps - 1 - k : k;
    for (let r = r0; r < r1; r++) {
      const sr = <usize>r * ub;
      if (sequences) addInPlace(dh + sr, dOut + (<usize>r * <usize>steps + <usize>k) * ub, units, scratch);
      else if (k == steps - 1) addInPlace(dh + sr, dOut + sr, units, scratch);
      const at = <usize>r * <usize>steps + <usize>t;
      const rec = record + at * RECORD_WIDTH * ub;
      const dzr = dzWork + sr * 4;
      let j = 0;
      for (; j + 2 <= units; j += 2) backwardAt(<usize>j << 2, true, rec, dzr, ub, rec + 4 * ub, rec + 6 * ub, dh + sr, dc + sr, dcWork + sr);
      if (j < units) backwardAt(<usize>j << 2, false, rec, dzr, ub, rec + 4 * ub, rec + 6 * ub, dh + sr, dc + sr, dcWork + sr);
      copyFloats(dxz + at * 4 * ub, dzr, 4 * units, scratch);
      fromZero(dc + sr, dcWork + sr, units, scratch);
    }
    gemmPacked(false, true, dzWork, recurrentKernel, dh, batch, width, units, r0, r1, false, scratch, packed);
    for (let r = r0; r < r1; r++) fromZero(dh + <usize>r * ub, dh + <usize>r * ub, units, scratch);
  }
}

/** target[0..n) = +0 + x[0..n) in f32 (a -0 becomes +0, as in a tensor made of zeros and added to). */
// @ts-ignore: decorator
@inline function fromZero(target: usize, x: usize, n: i32, scratch: usize): void {
  rowPass(FROM_ZERO, target, x, n, scratch);
}

/**
 * The backward LSTM step (sigmoid gates, tanh cell) for rows [r0, r1): dz [rows, 4·units] and dcPrev [rows, units]
 * from dh and dcNext, with the slopes from the stored outputs (σ' = y·(1 - y), tanh' = 1 - y²). The float64 operations
 * of lstmCellBackward (src/kernels/lstm-cell.ts) in its order, two units at a time, rounded to f32 wherever it stores
 * and read back as stored: bitwise equal to it.
 */
export function lstmBackwardSigmoidTanh(
  gates: usize, cPrev: usize, cellOut: usize, dh: usize, dcNext: usize, dz: usize, dcPrev: usize, units: i32, r0: i32, r1: i32,
): void {
  const ub = <usize>units << 2;
  for (let r = r0; r < r1; r++) {
    const gr = gates + <usize>r * 4 * ub;
    const dzr = dz + <usize>r * 4 * ub;
    const sr = <usize>r * ub;
    let j = 0;
    for (; j + 2 <= units; j += 2) {
      backwardAt(<usize>j << 2, true, gr, dzr, ub, cPrev + sr, cellOut + sr, dh + sr, dcNext + sr, dcPrev + sr);
    }
    if (j < units) backwardAt(<usize>j << 2, false, gr, dzr, ub, cPrev + sr, cellOut + sr, dh + sr, dcNext + sr, dcPrev + sr);
  }
}

/** One or two units of a row of the backward step (see lstmBackwardSigmoidTanh); `ub` is the bytes of a gate block. */
// @ts-ignore: decorator
@inline function backwardAt(
  at: usize, pair: bool, gr: usize, dzr: usize, ub: usize, cPrev: usize, cellOut: usize, dh: usize, dcNext: usize, dcPrev: usize,
): void {
  const one = splat(1);
  const o = ld(gr + 3 * ub + at, pair);
  const t = ld(cellOut + at, pair);
  const dhv = ld(dh + at, pair);
  const dzo = put(dzr + 3 * ub + at, mul(dhv, t), pair);
  put(dzr + 3 * ub + at, mul(dzo, mul(o, sub(one, o))), pair);
  let dc = put(dcPrev + at, mul(dhv, o), pair);
  dc = put(dcPrev + at, mul(dc, sub(one, mul(t, t))), pair);
  dc = put(dcPrev + at, add(dc, ld(dcNext + at, pair)), pair);
  const i = ld(gr + at, pair);
  const f = ld(gr + ub + at, pair);
  const g = ld(gr + 2 * ub + at, pair);
  const dzi = put(dzr + at, mul(dc, g), pair);
  put(dzr + at, mul(dzi, mul(i, sub(one, i))), pair);
  const dzf = put(dzr + ub + at, mul(dc, ld(cPrev + at, pair)), pair);
  put(dzr + ub + at, mul(dzf, mul(f, sub(one, f))), pair);
  const dzg = put(dzr + 2 * ub + at, mul(dc, i), pair);
  put(dzr + 2 * ub + at, mul(dzg, sub(one, mul(g, g))), pair);
  put(dcPrev + at, mul(dc, f), pair);
}

/** target[0..n) += x[0..n), f32 by f32. */
// @ts-ignore: decorator
@inline function addInPlace(target: usize, x: usize, n: i32, scratch: usize): void {
  rowPass(ADD, target, x, n, scratch);
}

/**
 * One row of the step: z [4·units] → gates [4·units] at `gr`, c, cellOut (not stored when 0), h [units]. When xr is not
 * 0, z is zr + xr lane by lane (the recurrent product plus the step's input projection, added as the step-by-step path
 * adds them), read without storing the sum. gr may be zr (the sequence's working z, when no record keeps the gates).
 * c may be cPrev (each group of lanes is read before it is written).
 *
 * Two passes: the gates, one activation per loop (sigmoid over the i and f blocks, tanh over c's, sigmoid over o's),
 * then the state update with its one tanh. With the four gates' activations in one loop body, V8 interleaved five
 * polynomials in 16 registers and spilled ~45 values a group to the stack.
 */
// @ts-ignore: decorator
@inline function cellRow(
  zr: usize, xr: usize, cPrev: usize, gr: usize, c: usize, cellOut: usize, h: usize, units: i32, scratch: usize,
): void {
  const ub = <usize>units << 2;
  gatePass(SIGMOID, zr, xr, gr, 2 * units, scratch);
  gatePass(TANH, zr + 2 * ub, xr ? xr + 2 * ub : 0, gr + 2 * ub, units, scratch);
  gatePass(SIGMOID, zr + 3 * ub, xr ? xr + 3 * ub : 0, gr + 3 * ub, units, scratch);
  // Whole groups of four units with the lane count a constant, then the row's last partial group, if any, through
  // the same operations. With the count a loop variable every load and store was a branch and V8 kept the loop's
  // values on the stack: 27.6 ns a group of four units against 20.4 split (64 rows × 64 units, 30 rounds).
  const whole = units & ~3;
  let j = 0;
  for (; j < whole; j += 4) stateGroup(gr, cPrev, c, cellOut, h, ub, <usize>j << 2, 4, scratch);
  if (j < units) stateGroup(gr, cPrev, c, cellOut, h, ub, <usize>j << 2, units - j, scratch);
}

/** gatePass's activations. */
const SIGMOID = 0;
const TANH = 1;

/** out[0..n) = activation(z[0..n) (+ x[0..n) when x is not 0)), four lanes at a time (see rowPass). */
// @ts-ignore: decorator
@inline function gatePass(activation: i32, z: usize, x: usize, out: usize, n: i32, scratch: usize): void {
  const whole = n & ~3;
  for (let j = 0; j < whole; j += 4) gateGroup(activation, z, x, out, <usize>j << 2, 4, scratch);
  if (whole < n) gateGroup(activation, z, x, out, <usize>whole << 2, n - whole, scratch);
}

// @ts-ignore: decorator
@inline function gateGroup(activation: i32, z: usize, x: usize, out: usize, at: usize, lanes: i32, scratch: usize): void {
  let v = load4(z + at, lanes, scratch);
  if (x) v = f32x4.add(v, load4(x + at, lanes, scratch));
  store4(out + at, activation == TANH ? tanhx4(v) : sigmoidx4(v), lanes, scratch);
}

/** cellRow's state update for units [at/4, at/4 + lanes) (lanes ≤ 4) from the gates at gr. */
// @ts-ignore: decorator
@inline function stateGroup(
  gr: usize, cPrev: usize, c: usize, cellOut: usize, h: usize, ub: usize, at: usize, lanes: i32, scratch: usize,
): void {
  const i = load4(gr + at, lanes, scratch);
  const f = load4(gr + ub + at, lanes, scratch);
  const g = load4(gr + 2 * ub + at, lanes, scratch);
  const o = load4(gr + 3 * ub + at, lanes, scratch);
  const cp = load4(cPrev + at, lanes, scratch);
  const cn = f32x4.add(f32x4.mul(f, cp), f32x4.mul(i, g));
  const co = tanhx4(cn);
  store4(c + at, cn, lanes, scratch);
  if (cellOut) store4(cellOut + at, co, lanes, scratch);
  store4(h + at, f32x4.mul(o, co), lanes, scratch);
}

/** target[0..n) = x[0..n) (rows of a few hundred bytes: inline, where memory.copy on shared memory is a call). */
// @ts-ignore: decorator
@inline function copyFloats(target: usize, x: usize, n: i32, scratch: usize): void {
  rowPass(COPY, target, x, n, scratch);
}

/** What rowPass makes of each float: target = x, target += x, or target = +0 + x. */
const COPY = 0;
const ADD = 1;
const FROM_ZERO = 2;

/**
 * target[0..n) = op(target, x), four lanes at a time over the whole groups with the lane count a constant, then the
 * partial group through scratch (see cellRow for why). `op` is a constant where it is inlined.
 */
// @ts-ignore: decorator
@inline function rowPass(op: i32, target: usize, x: usize, n: i32, scratch: usize): void {
  const whole = n & ~3;
  for (let j = 0; j < whole; j += 4) groupPass(op, target + (<usize>j << 2), x + (<usize>j << 2), 4, scratch);
  if (whole < n) groupPass(op, target + (<usize>whole << 2), x + (<usize>whole << 2), n - whole, scratch);
}

// @ts-ignore: decorator
@inline function groupPass(op: i32, target: usize, x: usize, lanes: i32, scratch: usize): void {
  let v = load4(x, lanes, scratch);
  if (op == ADD) v = f32x4.add(load4(target, lanes, scratch), v);
  else if (op == FROM_ZERO) v = f32x4.add(f32x4.splat(0), v);
  store4(target, v, lanes, scratch);
}

/** Four floats from p, or the first `lanes` of them with zeros after (through scratch, never reading past the end). */
// @ts-ignore: decorator
@inline function load4(p: usize, lanes: i32, scratch: usize): v128 {
  if (lanes == 4) return v128.load(p);
  v128.store(scratch, f32x4.splat(0));
  memory.copy(scratch, p, <usize>lanes << 2);
  return v128.load(scratch);
}

/** Stores the first `lanes` floats of x at p. */
// @ts-ignore: decorator
@inline function store4(p: usize, x: v128, lanes: i32, scratch: usize): void {
  if (lanes == 4) {
    v128.store(p, x);
    return;
  }
  v128.store(scratch, x);
  memory.copy(p, scratch, <usize>lanes << 2);
}
