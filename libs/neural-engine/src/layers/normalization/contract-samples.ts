import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the normalization layers, by layer type (see ../contract-sample.ts). */
export const normalizationSamples: Record<string, ContractSample[]> = {};
