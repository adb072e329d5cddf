import { describe, expect, it } from 'vitest';
import type { Callback, CallbackModel } from './callback.js';
import { resolveMode } from './callback.js';
import { EarlyStopping } from './early-stopping.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';
import { createCallback } from './index.js';
import { ConfigError } from '../errors.js';

/*
 * Callback logic driven epoch by epoch with scripted monitored values, against a minimal model, so each Keras rule
 * (patience, minDelta, baseline, startFromEpoch, cooldown, minLr) is checked in isolation.
 */

function fakeModel(lr = 1): CallbackModel & { weights: number[] } {
  return {
    stopTraining: false,
    learningRate: lr,
    weights: [0],
    getWeights() {
      return [Float32Array.from(this.weights)];
    },
    setWeights(w) {
      this.weights = Array.from(w[0]!);
    },
  };
}

/** Runs the callback over per-epoch values of `monitor`; returns the epoch at which training stopped (or null). */
function drive(cb: Callback, model: CallbackModel, monitor: string, values: number[], onEpoch?: (e: number) => void): number | null {
  cb.model = model;
  void cb.onTrainBegin?.({});
  for (let epoch = 0; epoch < values.length; epoch++) {
    onEpoch?.(epoch);
    void cb.onEpochEnd?.(epoch, { [monitor]: values[epoch]! });
    if (model.stopTraining) return epoch;
  }
  void cb.onTrainEnd?.({});
  return null;
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement', () => {
    const model = fakeModel();
    expect(drive(new EarlyStopping({ monitor: 'val_loss', patience: 2 }), model, 'val_loss', [1, 0.9, 0.95, 0.92, 0.8])).toBe(3);
  });

  it('an improvement must exceed minDelta', () => {
    // 0.95 and 0.93 improve on 1.0 by less than 0.1: no improvement, stop after patience 2.
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 0.1 }), fakeModel(), 'loss', [1, 0.95, 0.93, 0.5])).toBe(2);
  });

  it('mode max, and auto infers max for accuracy', () => {
    expect(drive(new EarlyStopping({ monitor: 'val_accuracy', patience: 1 }), fakeModel(), 'val_accuracy', [0.5, 0.6, 0.55, 0.7])).toBe(2);
    expect(drive(new EarlyStopping({ monitor: 'score', mode: 'max', patience: 1 }), fakeModel(), 'score', [1, 2, 1.5])).toBe(2);
    expect(resolveMode('auto', 'val_auc')).toBe('max');
    expect(resolveMode('auto', 'val_mae')).toBe('min');
  });

  it('baseline: improvements that do not beat the baseline do not reset the wait', () => {
    // Keras: an improvement returns early (no stop that epoch) but resets the wait only if it also beats the baseline.
    // Epochs 0-2 improve without beating 0.5, so wait reaches 4 at the first non-improvement (epoch 3): stop.
    const values = [1, 0.9, 0.8, 0.85, 0.7];
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 3, baseline: 0.5 }), fakeModel(), 'loss', values)).toBe(3);
    // Without a baseline each improvement resets the wait, so the same values do not stop training.
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 3 }), fakeModel(), 'loss', values)).toBeNull();
    // Beating the baseline resets the wait.
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 2, baseline: 0.5 }), fakeModel(), 'loss', [1, 0.4, 0.3, 0.2, 0.1])).toBeNull();
  });

  it('startFromEpoch ignores the warm-up epochs', () => {
    expect(drive(new EarlyStopping({ monitor: 'loss', patience: 1, startFromEpoch: 3 }), fakeModel(), 'loss', [1, 2, 3, 4, 5, 6])).toBe(4);
  });

  it('restoreBestWeights restores the weights of the best epoch at the end of training', () => {
    const model = fakeModel();
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 10, restoreBestWeights: true });
    drive(stopper, model, 'loss', [3, 1, 2, 4], (epoch) => (model.weights = [epoch * 10]));
    expect(model.weights).toEqual([10]);
    expect(stopper.bestEpoch).toBe(1);
  });

  it('a missing monitored value is ignored', () => {
    const model = fakeModel();
    const stopper = new EarlyStopping({ monitor: 'val_loss', patience: 0 });
    stopper.model = model;
    stopper.onTrainBegin();
    for (let e = 0; e < 5; e++) stopper.onEpochEnd(e, { loss: 1 });
    expect(model.stopTraining).toBe(false);
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces by factor after patience, respects cooldown and minLr', () => {
    const model = fakeModel(1);
    const rates: number[] = [];
    drive(new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, cooldown: 2, minLr: 0.2 }), model, 'loss', [1, 1, 1, 1, 1, 1, 1, 1], () =>
      rates.push(model.learningRate),
    );
    rates.push(model.learningRate);
    // Epoch 0 sets best; epoch 1 plateaus → 0.5 and cooldown 2. As in Keras the counter drops at the start of each
    // epoch's check, so epoch 2 is in cooldown and epoch 3 reduces again (0.25); epoch 5 → 0.125 floored at minLr 0.2;
    // from then on the rate is at the floor and stays.
    expect(rates).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2]);
  });

  it('an improvement larger than minDelta resets the wait', () => {
    const model = fakeModel(1);
    drive(new ReduceLROnPlateau({ monitor: 'loss', factor: 0.1, patience: 2 }), model, 'loss', [1, 0.9, 0.8, 0.7, 0.6]);
    expect(model.learningRate).toBe(1);
  });
});

describe('TerminateOnNaN and JSON configs', () => {
  it('TerminateOnNaN stops on a non-finite loss only', () => {
    const model = fakeModel();
    const cb = new TerminateOnNaN();
    cb.model = model;
    cb.onBatchEnd(0, { loss: 1 });
    expect(model.stopTraining).toBe(false);
    cb.onBatchEnd(1, { loss: Number.NaN });
    expect(model.stopTraining).toBe(true);
  });

  it('createCallback validates configs and names the path', () => {
    expect(createCallback({ type: 'EarlyStopping', patience: 2 }).getConfig?.()).toMatchObject({ type: 'EarlyStopping', patience: 2, monitor: 'val_loss' });
    expect(() => createCallback({ type: 'EarlyStopping', patience: -1 }, ['callbacks', 0])).toThrow(/callbacks\[0\]\.patience.*received -1/);
    expect(() => createCallback({ type: 'ModelCheckpointz' })).toThrow(ConfigError);
    expect(() => createCallback({ type: 'ReduceLROnPlateau', factor: 1.5 })).toThrow(/factor/);
  });
});
