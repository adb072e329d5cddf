import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the recurrent layers, by layer type (see ../contract-sample.ts). */
export const recurrentSamples: Record<string, ContractSample[]> = {};
