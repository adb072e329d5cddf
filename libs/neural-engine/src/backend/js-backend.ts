import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js';
import { addRowVector, sumRows } from '../kernels/rows.js';
import { type FloatArray, type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';
import type { Backend, MatmulOptions } from './backend.js';

class JsTensor implements Tensor {
  readonly size: number;
  constructor(
    readonly shape: Shape,
    readonly data: FloatArray,
  ) {
    this.size = data.length;
  }
}

/** Plain TypeScript kernels on Float32Array (or Float64Array, for gradient checks): the reference backend. */
export class JsBackend implements Backend {
  readonly name: string;
  private readonly ArrayType: Float32ArrayConstructor | Float64ArrayConstructor;

  constructor(readonly dtype: 'float32' | 'float64' = 'float32') {
    this.name = `js-${dtype}`;
    this.ArrayType = dtype === 'float32' ? Float32Array : Float64Array;
  }

  zeros(shape: Shape): Tensor {
    checkShape(shape);
    return new JsTensor([...shape], new this.ArrayType(shapeSize(shape)));
  }

  fromValues(shape: Shape, values: ArrayLike<number>): Tensor {
    checkShape(shape);
    const size = shapeSize(shape);
    if (values.length !== size) {
      throw new RangeError(`shape ${formatShape(shape, false)} needs ${size} values, received ${values.length}`);
    }
    const data = new this.ArrayType(size);
    data.set(values);
    return new JsTensor([...shape], data);
  }

  clone(t: Tensor): Tensor {
    return new JsTensor(t.shape, this.ArrayType.from(t.data));
  }

  reshape(t: Tensor, shape: Shape): Tensor {
    if (shapeSize(shape) !== t.size) {
      throw new RangeError(`cannot reshape ${formatShape(t.shape, false)} (${t.size} values) to ${formatShape(shape, false)}`);
    }
    return new JsTensor([...shape], t.data);
  }

  release(_t: Tensor): void {}

  matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}, out?: Tensor): Tensor {
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      throw new RangeError(`matmul needs rank-2 tensors, received ${formatShape(a.shape, false)} and ${formatShape(b.shape, false)}`);
    }
    const [ar, ac] = a.shape as [number, number];
    const [br, bc] = b.shape as [number, number];
    const { transposeA = false, transposeB = false } = options;
    if (transposeA && transposeB) throw new RangeError('matmul with both operands transposed is not supported');
    const m = transposeA ? ac : ar;
    const k = transposeA ? ar : ac;
    const kb = transposeB ? bc : br;
    const n = transposeB ? br : bc;
    if (k !== kb) {
      throw new RangeError(`matmul inner dimensions differ: ${formatShape(a.shape, false)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b.shape, false)}${transposeB ? 'ᵀ' : ''}`);
    }
    const c = out ?? this.zeros([m, n]);
    if (transposeA) matmulTN(a.data, b.data, c.data, m, k, n);
    else if (transposeB) matmulNT(a.data, b.data, c.data, m, k, n);
    else matmulNN(a.data, b.data, c.data, m, k, n);
    return c;
  }

  addRowVector(x: Tensor, v: Tensor, out?: Tensor): Tensor {
    const cols = v.size;
    if (x.size % cols !== 0 || x.shape[x.shape.length - 1] !== cols) {
      throw new RangeError(`cannot add a vector of ${cols} to a tensor of shape ${formatShape(x.shape, false)}`);
    }
    const o = out ?? this.zeros(x.shape);
    addRowVector(x.data, v.data, o.data, cols, 0, x.size / cols);
    return o;
  }

  sumRows(x: Tensor, out?: Tensor): Tensor {
    const cols = x.shape[x.shape.length - 1] ?? 1;
    const o = out ?? this.zeros([cols]);
    sumRows(x.data, o.data, cols === 0 ? 0 : x.size / cols, cols);
    return o;
  }

  map(x: Tensor, f: (v: number, i: number) => number, out?: Tensor): Tensor {
    const o = out ?? this.zeros(x.shape);
    const xd = x.data;
    const od = o.data;
    for (let i = 0; i < xd.length; i++) od[i] = f(xd[i]!, i);
    return o;
  }

  map2(a: Tensor, b: Tensor, f: (a: number, b: number, i: number) => number, out?: Tensor): Tensor {
    if (a.size !== b.size) throw new RangeError(`element-wise op on tensors of different sizes: ${a.size} and ${b.size}`);
    const o = out ?? this.zeros(a.shape);
    const ad = a.data;
    const bd = b.data;
    const od = o.data;
    for (let i = 0; i < ad.length; i++) od[i] = f(ad[i]!, bd[i]!, i);
    return o;
  }

  addInPlace(target: Tensor, x: Tensor): void {
    this.axpyInPlace(target, 1, x);
  }

  axpyInPlace(target: Tensor, alpha: number, x: Tensor): void {
    if (target.size !== x.size) throw new RangeError(`cannot accumulate ${x.size} values into ${target.size}`);
    const t = target.data;
    const xd = x.data;
    for (let i = 0; i < t.length; i++) t[i]! += alpha * xd[i]!;
  }

  scale(x: Tensor, s: number, out?: Tensor): Tensor {
    return this.map(x, (v) => v * s, out);
  }

  fill(t: Tensor, value: number): void {
    t.data.fill(value);
  }

  sum(x: Tensor): number {
    let s = 0;
    const d = x.data;
    for (let i = 0; i < d.length; i++) s += d[i]!;
    return s;
  }

  sumSquares(x: Tensor): number {
    let s = 0;
    const d = x.data;
    for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
    return s;
  }
}

function checkShape(shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`invalid tensor shape ${formatShape(shape, false)}`);
  }
}
