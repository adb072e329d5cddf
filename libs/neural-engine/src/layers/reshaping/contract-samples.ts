import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the reshaping layers, by layer type (see ../contract-sample.ts). */
export const reshapingSamples: Record<string, ContractSample[]> = {};
