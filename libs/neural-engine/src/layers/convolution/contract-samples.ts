import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the convolution layers, by layer type (see ../contract-sample.ts). */
export const convolutionSamples: Record<string, ContractSample[]> = {};
