import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';
import { type LayerConfig, createLayer } from '../index.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * Config validation and defaults: Keras 3 defaults in getConfig, ConfigErrors that name the path and the received
 * value (or the layer and the received input shape), and the arguments Keras itself rejects.
 */

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function build(config: LayerConfig, inputShape: Shape): void {
  createLayer({ name: 'my_layer', ...config }).build(inputShape, { backend: testBackend(), rng: new Rng(1) });
}

describe('Keras 3 defaults', () => {
  it('Conv1D/Conv2D: strides 1, valid, dilation 1, groups 1, linear, bias, glorot_uniform / zeros', () => {
    expect(createLayer({ type: 'Conv2D', filters: 2, kernelSize: 3 }).getConfig()).toEqual({
      type: 'Conv2D', filters: 2, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', dataFormat: 'channels_last',
      dilationRate: [1, 1], groups: 1, activation: 'linear', useBias: true, kernelInitializer: 'glorot_uniform', biasInitializer: 'zeros',
    });
    expect(createLayer({ type: 'Conv1D', filters: 2, kernelSize: 3 }).getConfig()).toMatchObject({ kernelSize: [3], strides: [1], dilationRate: [1] });
  });

  it('Conv2DTranspose: outputPadding null; DepthwiseConv2D: depthMultiplier 1; SeparableConv2D: both initializers glorot_uniform', () => {
    expect(createLayer({ type: 'Conv2DTranspose', filters: 2, kernelSize: 2 }).getConfig()).toMatchObject({ outputPadding: null, strides: [1, 1], padding: 'valid' });
    expect(createLayer({ type: 'DepthwiseConv2D', kernelSize: 2 }).getConfig()).toMatchObject({ depthMultiplier: 1, depthwiseInitializer: 'glorot_uniform', useBias: true });
    expect(createLayer({ type: 'SeparableConv2D', filters: 2, kernelSize: 2 }).getConfig()).toMatchObject({
      depthMultiplier: 1, depthwiseInitializer: 'glorot_uniform', pointwiseInitializer: 'glorot_uniform', biasInitializer: 'zeros',
    });
  });

  it('pooling: poolSize 2 / (2, 2), strides default to poolSize, valid; global pooling keepdims false', () => {
    expect(createLayer({ type: 'MaxPooling1D' }).getConfig()).toEqual({ type: 'MaxPooling1D', poolSize: [2], strides: [2], padding: 'valid', dataFormat: 'channels_last' });
    expect(createLayer({ type: 'AveragePooling2D', poolSize: [3, 2] }).getConfig()).toMatchObject({ poolSize: [3, 2], strides: [3, 2] });
    expect(createLayer({ type: 'MaxPooling2D', strides: null }).getConfig()).toMatchObject({ strides: [2, 2] });
    expect(createLayer({ type: 'GlobalAveragePooling2D' }).getConfig()).toEqual({ type: 'GlobalAveragePooling2D', dataFormat: 'channels_last', keepdims: false });
  });

  it('identifiers in any spelling', () => {
    const layer = createLayer({ type: 'Conv2D', filters: 1, kernelSize: 1, kernelInitializer: 'GlorotNormal', activation: 'ReLU' });
    expect(layer.getConfig()).toMatchObject({ kernelInitializer: 'GlorotNormal', activation: 'relu' });
  });
});

describe('ConfigErrors name the path and the received value', () => {
  it('channels_first is rejected at dataFormat', () => {
    for (const type of ['Conv1D', 'Conv2D', 'Conv2DTranspose', 'SeparableConv2D']) {
      const e = configError(() => createLayer({ type, filters: 2, kernelSize: 2, dataFormat: 'channels_first' }));
      expect(e.message).toMatch(/dataFormat: only "channels_last" is supported.*received "channels_first"/);
    }
    for (const type of ['DepthwiseConv2D']) configError(() => createLayer({ type, kernelSize: 2, dataFormat: 'channels_first' }));
    for (const type of ['MaxPooling2D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'GlobalAveragePooling2D']) {
      expect(configError(() => createLayer({ type, dataFormat: 'channels_first' })).issues[0]!.path).toBe('dataFormat');
    }
  });

  it('strides > 1 with dilationRate > 1 is rejected, as in Keras', () => {
    const e = configError(() => createLayer({ type: 'Conv1D', filters: 2, kernelSize: 2, strides: 2, dilationRate: 2 }));
    expect(e.issues[0]).toMatchObject({ path: 'dilationRate', received: 2 });
    configError(() => createLayer({ type: 'Conv2D', filters: 2, kernelSize: 2, strides: [1, 2], dilationRate: [2, 1] }));
    configError(() => createLayer({ type: 'DepthwiseConv2D', kernelSize: 2, strides: 2, dilationRate: 2 }));
    configError(() => createLayer({ type: 'SeparableConv2D', filters: 1, kernelSize: 2, strides: 2, dilationRate: 2 }));
    configError(() => createLayer({ type: 'Conv2DTranspose', filters: 1, kernelSize: 2, strides: 2, dilationRate: 2 }));
  });

  it('filters not divisible by groups, and input channels not divisible by groups (at build, naming the layer)', () => {
    expect(configError(() => createLayer({ type: 'Conv2D', filters: 3, kernelSize: 2, groups: 2 })).issues[0]).toMatchObject({ path: 'groups', received: 2 });
    const e = configError(() => build({ type: 'Conv2D', filters: 4, kernelSize: 2, groups: 2 }, [4, 4, 3]));
    expect(e.message).toContain('layer "my_layer" (Conv2D)');
    expect(e.message).toContain('(None, 4, 4, 3)');
  });

  it('outputPadding must be < strides', () => {
    const e = configError(() => createLayer({ type: 'Conv2DTranspose', filters: 1, kernelSize: 3, strides: 2, outputPadding: [1, 2] }));
    expect(e.issues[0]).toMatchObject({ path: 'outputPadding', received: [1, 2] });
  });

  it('a "same" Conv2DTranspose whose Keras output size cannot map back to the input is refused at build', () => {
    // Keras's formula gives (3 - 1)·2 + 2 % 2 + 0 = 4 rows, but a "same" stride-2 convolution of 4 rows has 2, not 3.
    const e = configError(() => build({ type: 'Conv2DTranspose', filters: 1, kernelSize: 2, strides: 2, padding: 'same', outputPadding: 0 }, [3, 3, 1]));
    expect(e.message).toContain('layer "my_layer" (Conv2DTranspose)');
  });

  it('bad arguments: unknown properties, zero sizes, wrong tuple lengths, causal padding on 2-D layers', () => {
    expect(configError(() => createLayer({ type: 'Conv2D', filters: 2, kernelSize: 2, kernel_size: 3 })).message).toMatch(/kernel_size/);
    expect(configError(() => createLayer({ type: 'Conv2D', filters: 0, kernelSize: 2 })).issues[0]).toMatchObject({ path: 'filters', received: 0 });
    expect(configError(() => createLayer({ type: 'Conv2D', filters: 1, kernelSize: [2, 2, 2] })).issues[0]!.path).toBe('kernelSize');
    expect(configError(() => createLayer({ type: 'Conv2D', filters: 1, kernelSize: 2, padding: 'causal' })).issues[0]).toMatchObject({ path: 'padding', received: 'causal' });
    expect(configError(() => createLayer({ type: 'MaxPooling2D', poolSize: 0 })).issues[0]!.path).toBe('poolSize');
    expect(configError(() => createLayer({ type: 'GlobalMaxPooling2D', keepdims: 'yes' })).issues[0]).toMatchObject({ path: 'keepdims', received: 'yes' });
  });

  it('input shapes of the wrong rank or smaller than the window name the layer and the shape', () => {
    expect(configError(() => build({ type: 'Conv2D', filters: 1, kernelSize: 2 }, [4, 4])).message).toMatch(/layer "my_layer" \(Conv2D\).*rank 3.*\(None, 4, 4\)/);
    expect(configError(() => build({ type: 'Conv1D', filters: 1, kernelSize: 2 }, [4, 4, 1])).message).toMatch(/rank 2/);
    expect(configError(() => build({ type: 'Conv2D', filters: 1, kernelSize: 3, dilationRate: 2 }, [4, 4, 1])).message).toMatch(/smaller than the dilated kernel/);
    expect(configError(() => build({ type: 'MaxPooling2D', poolSize: 3 }, [2, 5, 1])).message).toMatch(/MaxPooling2D.*smaller than the pool/);
    expect(configError(() => build({ type: 'GlobalAveragePooling1D' }, [4, 4, 1])).message).toMatch(/GlobalAveragePooling1D/);
    expect(configError(() => build({ type: 'DepthwiseConv2D', kernelSize: 5 }, [4, 4, 1])).message).toMatch(/DepthwiseConv2D/);
  });
});
