/*
 * im2col/col2im and max/average pooling over channels-last images, the WebAssembly versions of
 * src/kernels/im2col.ts and src/kernels/pooling.ts. Each computes the same rows, in the same order, with the same
 * float operations as its TypeScript twin (average pooling sums in f64 like the JS Float64Array accumulator; JS
 * float32 `+=` rounds exactly like an f32 add), so results are bitwise equal to the JS kernels, whatever the row split.
 *
 * The window geometry is passed as a pointer to 14 i32 in the order of G_* below (src/backend/wasm/window.ts writes it).
 */

const G_BATCH = 0;
const G_IN_H = 1;
const G_IN_W = 2;
const G_CHANNELS = 3;
const G_K_H = 4;
const G_K_W = 5;
const G_STRIDE_H = 6;
const G_STRIDE_W = 7;
const G_DILATION_H = 8;
const G_DILATION_W = 9;
const G_PAD_TOP = 10;
const G_PAD_LEFT = 11;
const G_OUT_H = 12;
const G_OUT_W = 13;

// @ts-ignore: decorator
@inline
function gi(g: usize, index: i32): i32 {
  return load<i32>(g + (<usize>index << 2));
}

/** Copies `bytes` (a multiple of 4): short runs (a single channel, as in a first conv layer) by hand, long ones by memory.copy. */
// @ts-ignore: decorator
@inline
function copyRun(dst: usize, src: usize, bytes: usize): void {
  if (bytes < 32) for (let b: usize = 0; b < bytes; b += 4) store<f32>(dst + b, load<f32>(src + b));
  else memory.copy(dst, src, bytes);
}

/** cols[r, (ki·kW + kj)·count + c] = x[n, ih, iw, start + c] (0 outside the image) for output rows r in [r0, r1). */
export function im2col(x: usize, cols: usize, g: usize, start: i32, count: i32, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), channels = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const dilationH = gi(g, G_DILATION_H), dilationW = gi(g, G_DILATION_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  const width = kH * kW * count;
  const run = <usize>count << 2;
  // The output position (n, oh, ow) of row r, divided out once and then counted along: a first convolution's rows
  // copy only kH·kW floats each, and three integer divisions per row cost about as much as the copy.
  let ow = r0 % outW;
  let oh = (r0 / outW) % outH;
  let n = r0 / (outW * outH);
  for (let r = r0; r < r1; r++, ow++) {
    if (ow == outW) {
      ow = 0;
      if (++oh == outH) {
        oh = 0;
        n++;
      }
    }
    let o = cols + ((<usize>r * <usize>width) << 2);
    const iw0 = ow * strideW - padLeft;
    // All channels, no horizontal dilation, window inside the row: the kW taps of a kernel row are kW·channels
    // consecutive floats of x, copied in one go (the common case of a convolution over every channel).
    const wholeRow = count == channels && dilationW == 1 && iw0 >= 0 && iw0 + kW <= inW;
    const rowRun = run * <usize>kW;
    for (let ki = 0; ki < kH; ki++) {
      const ih = oh * strideH + ki * dilationH - padTop;
      if (wholeRow && ih >= 0 && ih < inH) {
        copyRun(o, x + ((<usize>(((n * inH + ih) * inW + iw0) * channels)) << 2), rowRun);
        o += rowRun;
        continue;
      }
      for (let kj = 0; kj < kW; kj++) {
        const iw = ow * strideW + kj * dilationW - padLeft;
        if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
          memory.fill(o, 0, run);
        } else {
          const src = x + ((<usize>(((n * inH + ih) * inW + iw) * channels + start)) << 2);
          copyRun(o, src, run);
        }
        o += run;
      }
    }
  }
}

/**
 * dx[n, ih, iw, start + c] += Σ cols[...] over the (output row, tap) pairs that read it, for input rows (n, ih) in
 * [r0, r1). Whole blocks of sixteen channels are summed per pixel in registers and stored once; the channels left
 * (fewer than sixteen) are added into dx tap by tap, walking the taps once for all of them. Each element gets the JS
 * kernel's adds in its order, so the same bits. Summing in registers took W2's second convolution (32 channels) from
 * ~600 to 420 µs a call; for a few channels (3, stride 2) the walk per pixel and channel block cost more than it
 * saved (1,011 against 761 µs), so they keep the tap-by-tap adds (now 573).
 */
export function col2im(cols: usize, dx: usize, g: usize, start: i32, count: i32, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), channels = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const dilationH = gi(g, G_DILATION_H), dilationW = gi(g, G_DILATION_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  const width = kH * kW * count;
  const blocks = count & ~15;
  for (let row = r0; row < r1; row++) {
    const ih = row % inH;
    const n = row / inH;
    const pixels = dx + ((<usize>((n * inH + ih) * inW * channels + start)) << 2);
    const pixelBytes = <usize>channels << 2;
    for (let ki = 0; blocks < count && ki < kH; ki++) {
      const th = ih + padTop - ki * dilationH;
      // Integer division is slow: stride 1 (the usual convolution) skips it.
      if (th < 0 || (strideH != 1 && th % strideH != 0)) continue;
      const oh = strideH == 1 ? th : th / strideH;
      if (oh >= outH) continue;
      const outRow = cols + ((<usize>((n * outH + oh) * outW) * <usize>width) << 2);
      for (let iw = 0; iw < inW; iw++) {
        const d = pixels + <usize>iw * pixelBytes;
        for (let kj = 0; kj < kW; kj++) {
          const tw = iw + padLeft - kj * dilationW;
          if (tw < 0 || (strideW != 1 && tw % strideW != 0)) continue;
          const ow = strideW == 1 ? tw : tw / strideW;
          if (ow >= outW) continue;
          const s = outRow + ((<usize>(ow * width + (ki * kW + kj) * count)) << 2);
          let c = blocks;
          for (; c + 4 <= count; c += 4) {
            const at = <usize>c << 2;
            v128.store(d + at, f32x4.add(v128.load(d + at), v128.load(s + at)));
          }
          for (; c < count; c++) {
            const at = <usize>c << 2;
            store<f32>(d + at, load<f32>(d + at) + load<f32>(s + at));
          }
        }
      }
    }
    if (blocks == 0) continue;
    for (let iw = 0; iw < inW; iw++) {
      const d = pixels + <usize>iw * pixelBytes;
      for (let c = 0; c < blocks; c += 16) {
        const at = d + (<usize>c << 2);
        let a0 = v128.load(at), a1 = v128.load(at, 16), a2 = v128.load(at, 32), a3 = v128.load(at, 48);
        for (let ki = 0; ki < kH; ki++) {
          const th = ih + padTop - ki * dilationH;
          if (th < 0 || (strideH != 1 && th % strideH != 0)) continue;
          const oh = strideH == 1 ? th : th / strideH;
          if (oh >= outH) continue;
          for (let kj = 0; kj < kW; kj++) {
            const tw = iw + padLeft - kj * dilationW;
            if (tw < 0 || (strideW != 1 && tw % strideW != 0)) continue;
            const ow = strideW == 1 ? tw : tw / strideW;
            if (ow >= outW) continue;
            const s = cols + ((<usize>(((n * outH + oh) * outW + ow) * width + (ki * kW + kj) * count + c)) << 2);
            a0 = f32x4.add(a0, v128.load(s));
            a1 = f32x4.add(a1, v128.load(s, 16));
            a2 = f32x4.add(a2, v128.load(s, 32));
            a3 = f32x4.add(a3, v128.load(s, 48));
          }
        }
        v128.store(at, a0);
        v128.store(at, a1, 16);
        v128.store(at, a2, 32);
        v128.store(at, a3, 48);
      }
    }
  }
}

/** First output position whose window covers input position i (the JS coveringOutputs, lower end). */
// @ts-ignore: decorator
@inline
function firstCovering(i: i32, pad: i32, stride: i32, kernel: i32): i32 {
  const t = i + pad - kernel + 1;
  // ceil(t / stride) for any sign of t.
  const q = t > 0 ? (t + stride - 1) / stride : -((-t) / stride);
  return max(q, 0);
}

/** Last output position whose window covers input position i. */
// @ts-ignore: decorator
@inline
function lastCovering(i: i32, pad: i32, stride: i32, out: i32): i32 {
  const t = i + pad;
  // floor(t / stride); t >= 0 whenever pad >= 0.
  const q = t >= 0 ? t / stride : -((-t + stride - 1) / stride);
  return min(q, out - 1);
}

/** y = max over each window, argmax = flat index into x of the first maximum, for output rows (n, oh) in [r0, r1). */
export function maxPool(x: usize, y: usize, argmax: usize, g: usize, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), C = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  for (let row = r0; row < r1; row++) {
    const oh = row % outH;
    const n = row / outH;
    const h0 = max(oh * strideH - padTop, 0);
    const h1 = min(oh * strideH - padTop + kH, inH);
    for (let ow = 0; ow < outW; ow++) {
      const w0 = max(ow * strideW - padLeft, 0);
      const w1 = min(ow * strideW - padLeft + kW, inW);
      const o = (row * outW + ow) * C;
      let c = 0;
      if (h0 < h1 && w0 < w1) {
        // Four channels at a time: the first window element is taken, later ones only when strictly greater, per
        // lane — the JS rule (`v > best || at < 0`), so NaN and ties resolve the same way.
        const lanes = i32x4(0, 1, 2, 3);
        for (; c + 4 <= C; c += 4) {
          const first = ((n * inH + h0) * inW + w0) * C + c;
          let best = v128.load(x + (<usize>first << 2));
          let at = i32x4.add(i32x4.splat(first), lanes);
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              if (ih == h0 && iw == w0) continue;
              const i = ((n * inH + ih) * inW + iw) * C + c;
              const v = v128.load(x + (<usize>i << 2));
              const greater = f32x4.gt(v, best);
              best = v128.bitselect(v, best, greater);
              at = v128.bitselect(i32x4.add(i32x4.splat(i), lanes), at, greater);
            }
          }
          v128.store(y + (<usize>(o + c) << 2), best);
          v128.store(argmax + (<usize>(o + c) << 2), at);
        }
      }
      for (; c < C; c++) {
        let best = -Infinity as f32;
        let at = -1;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const i = ((n * inH + ih) * inW + iw) * C + c;
            const v = load<f32>(x + (<usize>i << 2));
            // `at < 0` takes the first element even when it is NaN or -Infinity, as the JS kernel does.
            if (v > best || at < 0) {
              best = v;
              at = i;
            }
          }
        }
        store<f32>(y + (<usize>(o + c) << 2), best);
        store<i32>(argmax + (<usize>(o + c) << 2), at);
      }
    }
  }
}

/** dx[i] = Σ dy[o] over the outputs o whose argmax is i; dx rows (n, ih) in [r0, r1) are overwritten. */
export function maxPoolBackward(dy: usize, argmax: usize, dx: usize, g: usize, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), C = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  if (r1 <= r0) return;
  memory.fill(dx + ((<usize>r0 * <usize>inW * <usize>C) << 2), 0, (<usize>(r1 - r0) * <usize>inW * <usize>C) << 2);
  for (let row = r0; row < r1; row++) {
    const ih = row % inH;
    const n = row / inH;
    const oh0 = firstCovering(ih, padTop, strideH, kH), oh1 = lastCovering(ih, padTop, strideH, outH);
    for (let iw = 0; iw < inW; iw++) {
      const ow0 = firstCovering(iw, padLeft, strideW, kW), ow1 = lastCovering(iw, padLeft, strideW, outW);
      const base = (row * inW + iw) * C;
      for (let oh = oh0; oh <= oh1; oh++) {
        for (let ow = ow0; ow <= ow1; ow++) {
          const o = ((n * outH + oh) * outW + ow) * C;
          let c = 0;
          // dx starts at +0 and never becomes -0, so adding +0 where the argmax does not match changes nothing:
          // bitwise the same as adding only the matches.
          for (; c + 4 <= C; c += 4) {
            const match = i32x4.eq(v128.load(argmax + (<usize>(o + c) << 2)), i32x4.add(i32x4.splat(base + c), i32x4(0, 1, 2, 3)));
            const d = dx + (<usize>(base + c) << 2);
            const g = v128.and(v128.load(dy + (<usize>(o + c) << 2)), match);
            v128.store(d, f32x4.add(v128.load(d), g));
          }
          for (; c < C; c++) {
            if (load<i32>(argmax + (<usize>(o + c) << 2)) == base + c) {
              const d = dx + (<usize>(base + c) << 2);
              store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>(o + c) << 2)));
            }
          }
        }
      }
    }
  }
}

/** Number of real (non-padding) input elements in the window of output (oh, ow). */
// @ts-ignore: decorator
@inline
function windowCount(g: usize, oh: i32, ow: i32): i32 {
  const sH = gi(g, G_STRIDE_H), sW = gi(g, G_STRIDE_W), pT = gi(g, G_PAD_TOP), pL = gi(g, G_PAD_LEFT);
  const h0 = max(oh * sH - pT, 0);
  const h1 = min(oh * sH - pT + gi(g, G_K_H), gi(g, G_IN_H));
  const w0 = max(ow * sW - pL, 0);
  const w1 = min(ow * sW - pL + gi(g, G_K_W), gi(g, G_IN_W));
  return max(h1 - h0, 0) * max(w1 - w0, 0);
}

/** y = mean of the real elements of each window (summed in f64), for output rows (n, oh) in [r0, r1). */
export function avgPool(x: usize, y: usize, g: usize, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), C = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  for (let row = r0; row < r1; row++) {
    const oh = row % outH;
    const n = row / outH;
    const h0 = max(oh * strideH - padTop, 0);
    const h1 = min(oh * strideH - padTop + kH, inH);
    for (let ow = 0; ow < outW; ow++) {
      const w0 = max(ow * strideW - padLeft, 0);
      const w1 = min(ow * strideW - padLeft + kW, inW);
      const inv = 1.0 / <f64>windowCount(g, oh, ow);
      const o = (row * outW + ow) * C;
      let c = 0;
      const invs = f64x2.splat(inv);
      for (; c + 2 <= C; c += 2) {
        // Two channels per f64x2: the same f64 sums, in the same order, as the JS Float64Array accumulator.
        let acc = f64x2.splat(0);
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const at = x + (<usize>(((n * inH + ih) * inW + iw) * C + c) << 2);
            acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.load64_zero(at)));
          }
        }
        v128.store64_lane(y + (<usize>(o + c) << 2), f32x4.demote_f64x2_zero(f64x2.mul(acc, invs)), 0);
      }
      for (; c < C; c++) {
        let acc: f64 = 0;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) acc += <f64>load<f32>(x + (<usize>(((n * inH + ih) * inW + iw) * C + c) << 2));
        }
        store<f32>(y + (<usize>(o + c) << 2), <f32>(acc * inv));
      }
    }
  }
}

/** dx[n, ih, iw, c] = Σ dy[o] / count(o) over the windows covering it; dx rows (n, ih) in [r0, r1) are overwritten. */
export function avgPoolBackward(dy: usize, dx: usize, g: usize, r0: i32, r1: i32): void {
  const inH = gi(g, G_IN_H), inW = gi(g, G_IN_W), C = gi(g, G_CHANNELS);
  const kH = gi(g, G_K_H), kW = gi(g, G_K_W);
  const strideH = gi(g, G_STRIDE_H), strideW = gi(g, G_STRIDE_W);
  const padTop = gi(g, G_PAD_TOP), padLeft = gi(g, G_PAD_LEFT);
  const outH = gi(g, G_OUT_H), outW = gi(g, G_OUT_W);
  if (r1 <= r0) return;
  memory.fill(dx + ((<usize>r0 * <usize>inW * <usize>C) << 2), 0, (<usize>(r1 - r0) * <usize>inW * <usize>C) << 2);
  for (let row = r0; row < r1; row++) {
    const ih = row % inH;
    const n = row / inH;
    const oh0 = firstCovering(ih, padTop, strideH, kH), oh1 = lastCovering(ih, padTop, strideH, outH);
    for (let iw = 0; iw < inW; iw++) {
      const ow0 = firstCovering(iw, padLeft, strideW, kW), ow1 = lastCovering(iw, padLeft, strideW, outW);
      const base = dx + (<usize>((row * inW + iw) * C) << 2);
      for (let oh = oh0; oh <= oh1; oh++) {
        for (let ow = ow0; ow <= ow1; ow++) {
          const inv = 1.0 / <f64>windowCount(g, oh, ow);
          const o = dy + (<usize>(((n * outH + oh) * outW + ow) * C) << 2);
          for (let c = 0; c < C; c++) {
            const d = base + (<usize>c << 2);
            // f32(f64(dx) + f64(dy)·inv): the rounding of the JS Float32Array `+=` with a float64 product.
            store<f32>(d, <f32>(<f64>load<f32>(d) + <f64>load<f32>(o + (<usize>c << 2)) * inv));
          }
        }
      }
    }
  }
}
