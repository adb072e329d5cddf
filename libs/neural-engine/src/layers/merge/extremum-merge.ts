import type { FloatArray } from '../../tensor.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Base of Maximum and Minimum: the output takes, element by element, the value of one selected input, and the
 * gradient flows to that input only. On exact ties the FIRST input holding the extreme value is selected: Keras folds
 * the inputs pairwise (max(max(x0, x1), x2)...) and TensorFlow's maximum (minimum) sends the gradient to its first
 * operand when a >= b (a <= b), so a tie always resolves to the earlier input.
 */
export abstract class ExtremumMerge extends ElementwiseMerge {
  /** For each output element of the last call, the index of the input it came from. */
  private selected: Uint16Array = new Uint16Array(0);

  /** Whether `candidate` replaces `current` (strictly, so that ties keep the earlier input). */
  protected abstract beats(candidate: number, current: number): boolean;

  protected combine(xs: readonly FloatArray[], out: FloatArray): void {
    const selected = new Uint16Array(out.length);
    out.set(xs[0]!);
    for (let k = 1; k < xs.length; k++) {
      const x = xs[k]!;
      for (let i = 0; i < out.length; i++) {
        if (this.beats(x[i]!, out[i]!)) {
          out[i] = x[i]!;
          selected[i] = k;
        }
      }
    }
    this.selected = selected;
  }

  protected inputGradient(k: number, dy: FloatArray, _xs: readonly FloatArray[], out: FloatArray): void {
    const selected = this.selected;
    for (let i = 0; i < out.length; i++) out[i] = selected[i] === k ? dy[i]! : 0;
  }
}
