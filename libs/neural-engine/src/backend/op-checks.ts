import { OPTIMIZER_RULES, type OptimizerRule, type Slots } from '../kernels/optimizer-updates.js';
import type { LstmStepTensors } from '../kernels/lstm-cell.js';
import { type Tensor, formatShape } from '../tensor.js';

/* Argument checks shared by both backends' element-wise, LSTM and optimizer ops, so both reject alike. */

/**
 * [rows, classes] of softmaxCrossentropyBackward: probs and labels of one shape, classes its last axis, one row scale
 * per row.
 */
export function softmaxCrossentropyDims(probs: Tensor, labels: Tensor, rowScale: ArrayLike<number>): [rows: number, classes: number] {
  if (probs.shape.length !== labels.shape.length || probs.shape.some((d, i) => d !== labels.shape[i])) {
    throw new RangeError(`softmax crossentropy of probabilities ${formatShape(probs.shape, false)} against labels ${formatShape(labels.shape, false)}: expected one shape`);
  }
  const classes = probs.shape[probs.shape.length - 1] ?? 0;
  const rows = classes === 0 ? 0 : probs.size / classes;
  if (rowScale.length !== rows) {
    throw new RangeError(`softmax crossentropy of ${rows} rows given ${rowScale.length} row scales; expected one per row`);
  }
  return [rows, classes];
}

/** The activation gradient's x, y and dy must hold the same number of values. */
export function checkActivationGradient(kind: string, x: Tensor, y: Tensor, dy: Tensor): void {
  if (x.size !== dy.size || y.size !== dy.size) {
    throw new RangeError(`${kind} gradient of tensors of different sizes: x ${x.size}, y ${y.size}, dy ${dy.size}`);
  }
}

/** [rows, units] of an LSTM step: z is [rows, 4·units], the cell state [rows, units]. */
export function lstmDims(z: Tensor, cPrev: Tensor): [rows: number, units: number] {
  const units = cPrev.shape[cPrev.shape.length - 1] ?? 0;
  const rows = units === 0 ? 0 : cPrev.size / units;
  if (z.size !== rows * 4 * units) {
    throw new RangeError(`LSTM step pre-activations ${formatShape(z.shape, false)} for a cell state ${formatShape(cPrev.shape, false)}: expected [${rows}, ${4 * units}]`);
  }
  return [rows, units];
}

/** [rows, units] of an LSTM backward step, its tensors checked against each other. */
export function checkLstmBackward(step: LstmStepTensors<Tensor>, dh: Tensor, dc: Tensor): [rows: number, units: number] {
  const dims = lstmDims(step.z, step.cPrev);
  for (const t of [step.c, step.cellOut, dh, dc]) {
    if (t.size !== step.cPrev.size) throw new RangeError(`LSTM step tensors of ${t.size} and ${step.cPrev.size} values: expected [batch, units] each`);
  }
  if (step.gates.size !== step.z.size) throw new RangeError(`LSTM gates of ${step.gates.size} values for pre-activations of ${step.z.size}`);
  return dims;
}

/**
 * An optimizer update's gradient and slots: as many values as the parameter each, every slot the rule requires given
 * (a kernel would write through a null pointer), none beyond the rule's.
 */
export function checkOptimizerUpdate(rule: OptimizerRule, value: Tensor, grad: Tensor, slots: Slots<Tensor>): void {
  const names: readonly string[] = OPTIMIZER_RULES[rule].slots;
  if (slots.length > names.length) throw new RangeError(`${rule} update: ${slots.length} slots; the rule has ${names.length}`);
  names.forEach((name, i) => {
    if (!slots[i] && !name.endsWith('?')) throw new RangeError(`${rule} update: slot ${name} missing`);
  });
  for (const t of [grad, ...slots]) {
    if (t && t.size !== value.size) throw new RangeError(`${rule} update: a tensor of ${t.size} values for a parameter of ${value.size}`);
  }
}
