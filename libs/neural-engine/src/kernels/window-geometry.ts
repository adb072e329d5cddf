/*
 * The geometry of a sliding window over a channels-last batch of images [batch, inH, inW, channels]: what the
 * convolution (im2col/col2im) and pooling kernels share. 1-D ops use it with inH = kH = 1.
 */

/** A sliding window over [batch, inH, inW, channels] producing [batch, outH, outW, ...]. */
export interface WindowGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  /** Zero (or, for max pooling, ignored) rows added above the image; the rest of the padding goes below. */
  readonly padTop: number;
  /** Columns added left of the image; the rest goes right. */
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

/** A channel slice [start, start + count) of the input, for grouped convolutions. */
export interface ChannelRange {
  readonly start: number;
  readonly count: number;
}

/** Padding modes: TF's "valid" and "same", Keras's 1-D "causal" (all padding before the sequence). */
export type PaddingMode = 'valid' | 'same' | 'causal';

/** Output length and leading padding along one axis, following TensorFlow's rules. */
export function windowAxis(
  size: number, kernel: number, stride: number, dilation: number, padding: PaddingMode,
): { out: number; padBefore: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(Math.floor((size - span) / stride) + 1, 0), padBefore: 0 };
  const out = Math.ceil(size / stride);
  // Keras "causal": span - 1 zeros before the sequence, then "valid" — which also gives ceil(size / stride) outputs.
  if (padding === 'causal') return { out, padBefore: span - 1 };
  // TF "same": the total padding makes the last window end at the last (padded) element; the odd one goes after.
  const total = Math.max((out - 1) * stride + span - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** The geometry of a window over a [batch, inH, inW, channels] input. */
export function windowGeometry(
  input: readonly [number, number, number, number],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number],
  padding: PaddingMode,
): WindowGeometry {
  const [batch, inH, inW, channels] = input;
  const h = windowAxis(inH, kernel[0], strides[0], dilation[0], padding);
  const w = windowAxis(inW, kernel[1], strides[1], dilation[1], padding);
  return {
    batch, inH, inW, channels,
    kH: kernel[0], kW: kernel[1],
    strideH: strides[0], strideW: strides[1],
    dilationH: dilation[0], dilationW: dilation[1],
    padTop: h.padBefore, padLeft: w.padBefore,
    outH: h.out, outW: w.out,
  };
}
