/*
 * f32 GEMM with WebAssembly SIMD: C[r0..r1) = op(A)·op(B) for rows [r0, r1) of C, op transposing when asked.
 *
 * Layout follows the BLIS loop nest, cut down: for each block of NC columns and KC steps of the shared dimension, the
 * block of op(B) is packed into strips of 8 columns ([strip][p][8], zero-padded past n) in caller-given scratch, then
 * every 4-row tile of C walks the strips with a 4x8 register tile (8 f32x4 accumulators). A is read in place with
 * load32_splat, so A and Aᵀ differ only in the strides of the walk; B and Bᵀ differ only in packing.
 *
 * Determinism: every element of C is computed as acc = 0; acc = acc + a·b for p ascending within a KC block; then
 * C = acc (first block, not accumulating) or C = C + acc. The 4x8 tile, the 1x8 row-edge tile and the narrow
 * column-edge tiles all do exactly that per lane, and KC blocking does not depend on [r0, r1), so any split of the
 * rows between threads gives bitwise-identical results.
 *
 * Relaxed SIMD (FMA) is not used: Node 20 does not enable it by default.
 */

/** Steps of the shared dimension packed per block. */
const KC: i32 = 256;
/** Columns packed per block (a multiple of 8). */
const NC: i32 = 128;
/** Bytes of scratch holding one packed block of B. */
const PACK_BYTES: i32 = KC * NC * 4;
/** Bytes of scratch for staging a partial tile (4 rows of 8 floats). */
const STAGE_BYTES: i32 = 4 * 8 * 4;
/**
 * Bytes of scratch, after the block pack and the stage, where a sequence kernel keeps an operand packed whole for
 * all its steps (an LSTM's recurrent kernel is the same matrix at every step; packing it once instead of per step
 * saves the pack of every later step, on every thread). 64K floats: a recurrent kernel of up to 128 units.
 */
const WHOLE_PACK_BYTES: i32 = 256 * 1024;

/** Bytes of scratch one concurrent gemm call needs (16-byte aligned). */
export function gemmScratchBytes(): i32 {
  return PACK_BYTES + STAGE_BYTES + WHOLE_PACK_BYTES;
}

/** First byte of memory not used by the module's own data: the host's allocator starts at or after it. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * C = op(A)·op(B) (or C += when `accumulate`), rows [r0, r1) of the m×n result; op(A) is m×k, op(B) is k×n.
 * A is stored [m,k] or, when transA, [k,m]; B is stored [k,n] or, when transB, [n,k]; C is [m,n]. Pointers are byte
 * offsets of f32 arrays; `scratch` holds gemmScratchBytes() bytes private to this call, 16-byte aligned.
 */
export function gemm(
  transA: bool, transB: bool,
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  r0: i32, r1: i32,
  accumulate: bool, scratch: usize,
): void {
  gemmPacked(transA, transB, a, b, c, m, k, n, r0, r1, accumulate, scratch, 0);
}

/**
 * Bytes op(B) (k×n) takes packed whole: each block of KC steps × NC columns as gemm packs it, columns rounded up to
 * whole strips of 8.
 */
function wholePackBytes(k: i32, n: i32): usize {
  let strips: usize = 0;
  for (let j0 = 0; j0 < n; j0 += NC) strips += <usize>((min(NC, n - j0) + 7) >> 3);
  return strips * (<usize>max(k, 0) << 5);
}

/**
 * Where in `scratch` op(B) (k×n) can be packed whole, 0 if it does not fit (the caller then lets gemm pack per call).
 * Its blocks follow gemm's loop order: column blocks outer, blocks of steps inner.
 */
export function packWhole(transB: bool, b: usize, k: i32, n: i32, scratch: usize): usize {
  if (wholePackBytes(k, n) > <usize>WHOLE_PACK_BYTES) return 0;
  const whole = scratch + <usize>PACK_BYTES + <usize>STAGE_BYTES;
  let block = whole;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packB(transB, b, k, n, p0, kc, j0, nc, block);
      block += <usize>((nc + 7) >> 3) * (<usize>kc << 5);
    }
  }
  return whole;
}

/**
 * gemm with op(B) already packed whole by packWhole (`packed` its address), or packing per block when `packed` is 0.
 * The arithmetic is gemm's either way: the packed values and the order of every sum are the same.
 */
export function gemmPacked(
  transA: bool, transB: bool,
  a: usize, b: usize, c: usize,
  m: i32, k: i32, n: i32,
  r0: i32, r1: i32,
  accumulate: bool, scratch: usize, packed: usize,
): void {
  if (r1 <= r0 || n <= 0) return;
  const ldc = <usize>n << 2;
  if (k <= 0) {
    // An empty sum: C = 0, or C unchanged when accumulating.
    if (!accumulate) memory.fill(c + <usize>r0 * ldc, 0, <usize>(r1 - r0) * ldc);
    return;
  }
  // Byte strides of A along rows of op(A) and along the shared dimension.
  const rowStride: usize = transA ? 4 : <usize>k << 2;
  const stepStride: usize = transA ? <usize>m << 2 : 4;
  const stage = scratch + <usize>PACK_BYTES;
  let block = packed;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      let pack = scratch;
      if (packed) {
        pack = block;
        block += <usize>((nc + 7) >> 3) * (<usize>kc << 5);
      } else {
        packB(transB, b, k, n, p0, kc, j0, nc, pack);
      }
      const overwrite = p0 == 0 && !accumulate;
      const aBlock = a + <usize>p0 * stepStride;
      const stripBytes = <usize>kc << 5;
      let i = r0;
      for (; i + 4 <= r1; i += 4) {
        const aRow = aBlock + <usize>i * rowStride;
        const cRow = c + <usize>i * ldc + (<usize>j0 << 2);
        for (let j = 0; j < nc; j += 8) {
          const cols = min(8, nc - j);
          const bStrip = pack + <usize>(j >> 3) * stripBytes;
          const cTile = cRow + (<usize>j << 2);
          if (cols > 4) tile4x8(aRow, rowStride, stepStride, bStrip, kc, cTile, ldc, cols, overwrite, stage);
          else tile4x4(aRow, rowStride, stepStride, bStrip, kc, cTile, ldc, cols, overwrite, stage);
        }
      }
      for (; i < r1; i++) {
        const aRow = aBlock + <usize>i * rowStride;
        const cRow = c + <usize>i * ldc + (<usize>j0 << 2);
        for (let j = 0; j < nc; j += 8) {
          const cols = min(8, nc - j);
          tile1x8(aRow, stepStride, pack + <usize>(j >> 3) * stripBytes, kc, cRow + (<usize>j << 2), cols, overwrite, stage);
        }
      }
    }
  }
}

/** Packs op(B)[p0..p0+kc, j0..j0+nc) as strips of 8 columns, [strip][p][8] floats, zeros past column nc. */
// @ts-ignore: decorator
@inline
function packB(transB: bool, b: usize, k: i32, n: i32, p0: i32, kc: i32, j0: i32, nc: i32, pack: usize): void {
  const strips = (nc + 7) >> 3;
  for (let s = 0; s < strips; s++) {
    const jBase = j0 + (s << 3);
    const cols = min(8, nc - (s << 3));
    let dst = pack + <usize>s * (<usize>kc << 5);
    if (!transB) {
      // op(B) = B [k,n]: each step p reads 8 consecutive floats of row p.
      let src = b + ((<usize>p0 * <usize>n + <usize>jBase) << 2);
      const ldb = <usize>n << 2;
      if (cols == 8) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldb;
          dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let jj = 0; jj < cols; jj++) store<f32>(dst + (<usize>jj << 2), load<f32>(src + (<usize>jj << 2)));
          src += ldb;
          dst += 32;
        }
      }
    } else if (cols == 8) {
      // op(B) = Bᵀ with B [n,k]: column j of op(B) is row j of B, contiguous along p. Whole strips go four steps at a
      // time, as 4x4 blocks transposed in registers; the scalar walk below takes the last steps and partial strips.
      const src = b + ((<usize>jBase * <usize>k + <usize>p0) << 2);
      const ldb = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = src + (<usize>p << 2);
        const out = dst + (<usize>p << 5);
        transpose4(at, ldb, out);
        transpose4(at + (ldb << 2), ldb, out + 16);
      }
      for (let jj = 0; jj < 8; jj++) {
        const col = dst + (<usize>jj << 2);
        let from = src + <usize>jj * ldb + (<usize>p << 2);
        for (let q = p; q < kc; q++) {
          store<f32>(col + (<usize>q << 5), load<f32>(from));
          from += 4;
        }
      }
    } else {
      // A partial strip of Bᵀ: each column in turn, zeros past the last.
      for (let jj = 0; jj < 8; jj++) {
        const col = dst + (<usize>jj << 2);
        if (jj < cols) {
          let src = b + ((<usize>(jBase + jj) * <usize>k + <usize>p0) << 2);
          for (let p = 0; p < kc; p++) {
            store<f32>(col + (<usize>p << 5), load<f32>(src));
            src += 4;
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(col + (<usize>p << 5), 0);
        }
      }
    }
  }
}

/**
 * Four rows of B (at `src`, `ldb` bytes apart), four floats each, stored transposed as four packed steps of a strip
 * (32 bytes apart from `out`): step q receives the q-th float of each row.
 */
// @ts-ignore: decorator
@inline
function transpose4(src: usize, ldb: usize, out: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + ldb);
  const r2 = v128.load(src + (ldb << 1));
  const r3 = v128.load(src + ldb * 3);
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(out, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 32);
  v128.store(out, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 64);
  v128.store(out, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 96);
}

/** Writes one row of 8 (or `cols` < 8) results: C = acc, or C = C + acc. */
// @ts-ignore: decorator
@inline
function storeRow8(c: usize, lo: v128, hi: v128, cols: i32, overwrite: bool, stage: usize): void {
  if (cols == 8) {
    if (overwrite) {
      v128.store(c, lo);
      v128.store(c, hi, 16);
    } else {
      v128.store(c, f32x4.add(v128.load(c), lo));
      v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
    }
    return;
  }
  v128.store(stage, lo);
  v128.store(stage, hi, 16);
  for (let j = 0; j < cols; j++) {
    const at = c + (<usize>j << 2);
    const v = load<f32>(stage + (<usize>j << 2));
    store<f32>(at, overwrite ? v : load<f32>(at) + v);
  }
}

/** Writes one row of 4 (or `cols` < 4) results. */
// @ts-ignore: decorator
@inline
function storeRow4(c: usize, v: v128, cols: i32, overwrite: bool, stage: usize): void {
  if (cols == 4) {
    v128.store(c, overwrite ? v : f32x4.add(v128.load(c), v));
    return;
  }
  v128.store(stage, v);
  for (let j = 0; j < cols; j++) {
    const at = c + (<usize>j << 2);
    const x = load<f32>(stage + (<usize>j << 2));
    store<f32>(at, overwrite ? x : load<f32>(at) + x);
  }
}

/** 4 rows × 8 columns over kc steps: 8 accumulators, two B vectors and one broadcast A value live at a time. */
function tile4x8(
  a: usize, rowStride: usize, stepStride: usize, bp: usize, kc: i32,
  c: usize, ldc: usize, cols: i32, overwrite: bool, stage: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a;
  const r1 = rowStride, r2 = rowStride << 1, r3 = rowStride * 3;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + r1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + r2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + r3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += stepStride;
    bp += 32;
  }
  storeRow8(c, c00, c01, cols, overwrite, stage);
  storeRow8(c + ldc, c10, c11, cols, overwrite, stage);
  storeRow8(c + (ldc << 1), c20, c21, cols, overwrite, stage);
  storeRow8(c + ldc * 3, c30, c31, cols, overwrite, stage);
}

/** 4 rows × the first 4 columns of a strip (the last strip when at most 4 columns remain): half the work of 4x8. */
function tile4x4(
  a: usize, rowStride: usize, stepStride: usize, bp: usize, kc: i32,
  c: usize, ldc: usize, cols: i32, overwrite: bool, stage: usize,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let a0 = a;
  const r1 = rowStride, r2 = rowStride << 1, r3 = rowStride * 3;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a0 + r1), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a0 + r2), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a0 + r3), b0));
    a0 += stepStride;
    bp += 32;
  }
  storeRow4(c, c0, cols, overwrite, stage);
  storeRow4(c + ldc, c1, cols, overwrite, stage);
  storeRow4(c + (ldc << 1), c2, cols, overwrite, stage);
  storeRow4(c + ldc * 3, c3, cols, overwrite, stage);
}

/** One row × 8 columns: the rows left over below the last full 4-row tile. */
function tile1x8(a: usize, stepStride: usize, bp: usize, kc: i32, c: usize, cols: i32, overwrite: bool, stage: usize): void {
  let lo = f32x4.splat(0), hi = f32x4.splat(0);
  let a0 = a;
  for (let p = 0; p < kc; p++) {
    const x = v128.load32_splat(a0);
    lo = f32x4.add(lo, f32x4.mul(x, v128.load(bp)));
    hi = f32x4.add(hi, f32x4.mul(x, v128.load(bp, 16)));
    a0 += stepStride;
    bp += 32;
  }
  storeRow8(c, lo, hi, cols, overwrite, stage);
}
