// The most fp32 arithmetic one thread can do in WebAssembly SIMD without FMA (which Node 20 does not enable): a loop
// of independent f32x4 multiply chains and as many add chains, all in registers, so nothing but the multiply and add
// units bounds it (the fastest of 4, 5 and 6 chains of each: on a Zen 4 VM 5 measured a few % above 6; 7 spills).
// Any kernel built from f32x4.mul and f32x4.add (GEMM's c += a·b included) runs at most this fast on this machine; the bench prints it beside the GEMM figures, and it bounds what any such engine
// can reach (see bench/README.md).
//
// The module is encoded here byte by byte (a few dozen instructions) rather than compiled, so that measuring the
// machine does not depend on Kiln's build or on AssemblyScript's output.

const CHAIN_COUNTS = [4, 5, 6];

const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const vector = (items) => [...uleb(items.length), ...items.flat()];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  localGet: (i) => [0x20, ...uleb(i)],
  localSet: (i) => [0x21, ...uleb(i)],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  f32x4ExtractLane0: [0xfd, ...uleb(0x1f), 0],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
};

/**
 * (func (param n i32) (param m f32) (param d f32) (result f32)): from p_i = 1 and a_i = 0, n iterations of p_i *= m
 * and a_i += d (i < chains), then lane 0 of the sum of every p_i and a_i: chains·(mⁿ + n·d).
 */
function ceilingModuleBytes(chains) {
  const [n, m, d] = [0, 1, 2];
  const products = Array.from({ length: chains }, (_, i) => 3 + i);
  const sums = Array.from({ length: chains }, (_, i) => 3 + chains + i);
  const [mv, dv] = [3 + 2 * chains, 4 + 2 * chains];
  const one = [0x43, ...new Uint8Array(new Float32Array([1]).buffer)]; // f32.const 1
  const body = [
    // Products start at 1 (m = 1 keeps them there: no overflow, no denormals), sums at 0.
    ...products.flatMap((p) => [...one, ...op.f32x4Splat, ...op.localSet(p)]),
    ...op.localGet(m), ...op.f32x4Splat, ...op.localSet(mv),
    ...op.localGet(d), ...op.f32x4Splat, ...op.localSet(dv),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...op.localGet(n), 0x45, 0x0d, 1, // br_if 1 when n == 0
    ...products.flatMap((p) => [...op.localGet(p), ...op.localGet(mv), ...op.f32x4Mul, ...op.localSet(p)]),
    ...sums.flatMap((a) => [...op.localGet(a), ...op.localGet(dv), ...op.f32x4Add, ...op.localSet(a)]),
    ...op.localGet(n), 0x41, 1, 0x6b, ...op.localSet(n), // n -= 1
    0x0c, 0, // br 0
    0x0b, 0x0b, // end loop, end block
    // Every chain feeds the result, so none is dead code.
    ...op.localGet(products[0]),
    ...[...products.slice(1), ...sums].flatMap((v) => [...op.localGet(v), ...op.f32x4Add]),
    ...op.f32x4ExtractLane0,
    0x0b,
  ];
  const locals = vector([[...uleb(2 * chains + 2), V128]]);
  const code = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [F32], [F32]]), ...vector([[F32]])]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...vector([...'ceiling'].map((c) => [c.charCodeAt(0)])), 0x00, 0]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ]);
}

/**
 * GFLOP/s of the register-only loop on this thread, for the chain count that runs fastest: the median of `runs`
 * timings of at least `minMs` each, after a warm-up that lets V8 tier the function up.
 */
export function measureSimdCeiling({ runs = 5, minMs = 60 } = {}) {
  const results = CHAIN_COUNTS.map((chains) => ({ chains, ...measureChains(chains, runs, minMs) }));
  return results.reduce((best, r) => (r.median > best.median ? r : best));
}

/** The loop as a function of this thread: `(n, m, d) => chains·(mⁿ + n·d)`. */
export function ceilingKernel(chains) {
  return new WebAssembly.Instance(new WebAssembly.Module(ceilingModuleBytes(chains))).exports.ceiling;
}

function measureChains(chains, runs, minMs) {
  const ceiling = ceilingKernel(chains);
  // f32 operations per loop iteration: `chains` multiplies and as many adds, four lanes each.
  const flopsPerIteration = 2 * chains * 4;
  const iterations = 1 << 20;
  for (let i = 0; i < 5; i++) ceiling(iterations, 1, 0);
  const rates = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      ceiling(iterations, 1, 0);
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    rates.push((calls * iterations * flopsPerIteration) / (elapsed / 1000) / 1e9);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}
