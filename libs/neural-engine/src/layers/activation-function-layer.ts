import type { Activation as ActivationFunction } from '../activations/activation.js';
import { isLastAxisSoftmax } from '../activations/softmax.js';
import type { Shape, Tensor } from '../tensor.js';
import { Layer } from './layer.js';

/**
 * A layer whose computation is one function of activations/ (Activation, ReLU, LeakyReLU, ELU, Softmax): the layer
 * only validates its Keras arguments and picks the function, so the math and its gradient live in one place.
 */
export abstract class ActivationFunctionLayer extends Layer {
  /** Keras passes timestep masks through this layer. */
  override supportsMasking = true;
  /** The function applied; set by the subclass constructor. */
  protected abstract readonly fn: ActivationFunction;
  private fnInput: Tensor | null = null;
  private fnOutput: Tensor | null = null;

  computeOutputShape(inputShape: Shape): Shape {
    return this.fn.computeOutputShape ? this.fn.computeOutputShape(inputShape) : [...inputShape];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const y = this.fn.apply(x, this.backend);
    if (training) {
      this.fnInput = x;
      this.fnOutput = y;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    if (!this.fnInput || !this.fnOutput) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.fn.gradient(this.fnInput, this.fnOutput, dy, this.backend);
  }

  override takesLogitsGradient(): boolean {
    return !this.activityRegularizer && isLastAxisSoftmax(this.fn, this.outputShape.length + 1);
  }

  /** The layer's input is the logits: their gradient is dL/dx. */
  protected override backwardFromLogits(dLogits: Tensor): Tensor {
    return dLogits;
  }
}
