import { type Shape, type Tensor, shapesEqual } from '../../tensor.js';
import { Layer } from '../layer.js';
import { type SampleMap, applySampleMap, applySampleMapTranspose } from './sample-map.js';

/**
 * Base of the weightless layers whose output is a fixed linear map of each sample (padding, cropping, up-sampling,
 * Permute, RepeatVector): subclasses describe the map once per input shape; forward and backward are shared.
 */
export abstract class SampleMapLayer extends Layer {
  private cached: { input: Shape; output: Shape; map: SampleMap } | null = null;
  private lastInputShape: Shape | null = null;

  /** The per-sample map from an input of `inputShape` to an output of `outputShape` (= computeOutputShape). */
  protected abstract sampleMap(inputShape: Shape, outputShape: Shape): SampleMap;

  private mapFor(inputShape: Shape): { output: Shape; map: SampleMap } {
    if (!this.cached || !shapesEqual(this.cached.input, inputShape)) {
      const output = this.computeOutputShape(inputShape);
      this.cached = { input: [...inputShape], output, map: this.sampleMap(inputShape, output) };
    }
    return this.cached;
  }

  forward(x: Tensor, training: boolean): Tensor {
    const batch = x.shape[0] ?? 1;
    const { output, map } = this.mapFor(x.shape.slice(1));
    const y = this.backend.zeros([batch, ...output]);
    applySampleMap(map, x.data, y.data, batch);
    if (training) this.lastInputShape = x.shape;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const shape = this.lastInputShape;
    if (!shape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const batch = shape[0] ?? 1;
    const { map } = this.mapFor(shape.slice(1));
    const dx = this.backend.zeros(shape);
    applySampleMapTranspose(map, dy.data, dx.data, batch);
    return dx;
  }
}
