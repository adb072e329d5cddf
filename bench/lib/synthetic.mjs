// Seeded random data of a workload's shapes. Throughput does not depend on the values, but a fixed seed makes every
// run feed the same numbers (no denormals or NaN surprises that differ between runs).

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * `count` batches of a workload: inputs uniform in [0, 1), targets one-hot over the classes (categorical) or uniform
 * (mse). Each batch is `{ x, y }` of flat Float32Arrays, batch-major, channels-last.
 */
export function syntheticBatches(workload, batch, count, seed) {
  const random = mulberry32(seed);
  const inPer = size(workload.inputShape);
  const outPer = size(workload.outputShape);
  const batches = [];
  for (let b = 0; b < count; b++) {
    const x = new Float32Array(batch * inPer);
    for (let i = 0; i < x.length; i++) x[i] = random();
    const y = new Float32Array(batch * outPer);
    for (let s = 0; s < batch; s++) {
      if (workload.loss === 'categorical') y[s * outPer + Math.floor(random() * outPer)] = 1;
      else for (let j = 0; j < outPer; j++) y[s * outPer + j] = random();
    }
    batches.push({ x, y });
  }
  return batches;
}
