/**
 * One axis of Keras 3 bilinear resizing (ops.image.resize, antialias off), which samples with half-pixel centers:
 * output index o reads input position (o + 0.5)·in/out - 0.5, clamped to the first entry, and blends the two inputs
 * around it. For each output index: the lower and upper input indices and the weight of the upper one.
 */
export function bilinearAxis(inSize: number, outSize: number): { lower: Int32Array; upper: Int32Array; frac: Float64Array } {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const position = Math.max(0, (o + 0.5) * scale - 0.5);
    const i = Math.min(Math.floor(position), inSize - 1);
    lower[o] = i;
    upper[o] = Math.min(i + 1, inSize - 1);
    frac[o] = position - i;
  }
  return { lower, upper, frac };
}
