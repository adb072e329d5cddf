/*
 * relu and its gradient over element ranges, four lanes at a time: the WebAssembly twins of the relu loops in
 * src/kernels/activations.ts. f32 max and multiplication by exactly 1 or 0 round nothing, so results are bitwise equal
 * to the JS loops (which compute in f64 and store f32).
 */

/** y[i] = max(x[i], 0) for i in [i0, i1). `y` may be `x`. */
export function reluForward(x: usize, y: usize, i0: i32, i1: i32): void {
  const zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = <usize>i << 2;
    v128.store(y + at, f32x4.max(v128.load(x + at), zero));
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, max<f32>(load<f32>(x + at), 0));
  }
}

/** dx[i] = dy[i] · (x[i] > 0 ? 1 : 0) for i in [i0, i1). `dx` may be `dy`. */
export function reluBackward(x: usize, dy: usize, dx: usize, i0: i32, i1: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = <usize>i << 2;
    const slope = v128.bitselect(one, zero, f32x4.gt(v128.load(x + at), zero));
    v128.store(dx + at, f32x4.mul(v128.load(dy + at), slope));
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    store<f32>(dx + at, load<f32>(dy + at) * (load<f32>(x + at) > 0 ? <f32>1 : <f32>0));
  }
}
