import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the merge layers, by layer type (see ../contract-sample.ts). */
export const mergeSamples: Record<string, ContractSample[]> = {};
