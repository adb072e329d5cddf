import type { ActivationKernel, Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Activation, ActivationConfig } from './activation.js';
import { activationConfig } from './definition.js';

/** A scalar function and its derivative, given both x and y = f(x) so each can use the cheaper one. */
export interface ScalarActivation {
  f(x: number): number;
  df(x: number, y: number): number;
  /** The backend kernel computing exactly f and df, when there is one (the generic per-element callback is slow). */
  kernel?: ActivationKernel;
}

/** An activation applied to every element independently: y[i] = f(x[i]), dx[i] = dy[i]·f'(x[i]). */
export class ElementwiseActivation implements Activation {
  readonly applyInPlace: ((x: Tensor, backend: Backend) => Tensor) | undefined;

  constructor(
    readonly name: string,
    private readonly fn: ScalarActivation,
    private readonly args: Record<string, unknown> = {},
    private readonly defaults: Record<string, unknown> = {},
  ) {
    const kernel = fn.kernel;
    // The kernels' gradients read y, or (relu) x only through x > 0, which y > 0 matches: x may be overwritten.
    this.applyInPlace = kernel ? (x, backend) => backend.activation(kernel, x, x) : undefined;
  }

  get kernel(): ActivationKernel | undefined {
    return this.fn.kernel;
  }

  apply(x: Tensor, backend: Backend): Tensor {
    if (this.fn.kernel) return backend.activation(this.fn.kernel, x);
    const f = this.fn.f;
    return backend.map(x, (v) => f(v));
  }

  gradient(x: Tensor, y: Tensor, dy: Tensor, backend: Backend): Tensor {
    if (this.fn.kernel) return backend.activationGradient(this.fn.kernel, x, y, dy);
    const df = this.fn.df;
    const yd = y.data;
    return backend.map2(x, dy, (v, g, i) => g * df(v, yd[i]!));
  }

  getConfig(): ActivationConfig {
    return activationConfig(this.name, this.args, this.defaults);
  }
}
