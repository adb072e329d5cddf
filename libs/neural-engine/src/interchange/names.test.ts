import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerTypes } from '../layers/index.js';
import { camelToSnake, classToLayerName, snakeToCamel } from './keras-case.js';
import { TFJS_LAYER_CLASSES } from './layer-classes.js';

describe('argument spelling', () => {
  it('converts snake_case and camelCase both ways, digits included', () => {
    const pairs = [['kernel_initializer', 'kernelInitializer'], ['use_bias', 'useBias'], ['units', 'units'], ['max_value', 'maxValue'], ['dilation_rate', 'dilationRate'], ['l1', 'l1']];
    for (const [snake, camel] of pairs) {
      expect(snakeToCamel(snake!)).toBe(camel);
      expect(camelToSnake(camel!)).toBe(snake);
    }
    expect(classToLayerName('LeakyReLU')).toBe('leaky_re_lu');
    expect(classToLayerName('Conv2DTranspose')).toBe('conv2d_transpose');
  });
});

describe('TensorFlow.js layer classes', () => {
  it('TFJS_LAYER_CLASSES says, for every Kiln layer type, whether the installed TF.js registers it', () => {
    // TF.js registers its serializable classes (layers among them) in one map keyed by class name.
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    const expected = layerTypes.filter((t) => t in registered || t === 'InputLayer');
    expect(layerTypes.filter((t) => TFJS_LAYER_CLASSES.has(t))).toEqual(expected);
  });
});
