import { modelFromDefinition } from '@kiln/neural-engine';
import { describe, expect, it } from 'vitest';
import { estimateWorkPerSample } from './work-estimate.js';

describe('estimateWorkPerSample', () => {
  it('counts a dense layer once per sample and a convolution once per output pixel', () => {
    const dense = modelFromDefinition({ type: 'Sequential', layers: [{ type: 'Dense', units: 10, inputShape: [784] }] });
    expect(estimateWorkPerSample(dense)).toBe(7_850 + 10);
    const conv = modelFromDefinition({ type: 'Sequential', layers: [{ type: 'Conv2D', filters: 4, kernelSize: 3, inputShape: [28, 28, 1] }, { type: 'Flatten' }] });
    // 40 parameters at 26 × 26 positions, plus the 2,704 outputs of each layer.
    expect(estimateWorkPerSample(conv)).toBe(40 * 676 + 2_704 + 2_704);
  });
});
