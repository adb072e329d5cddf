/*
 * Recurrent layers and wrappers: SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */
import { entry } from '../registry-entry.js';
import { Bidirectional, bidirectionalSchema } from './bidirectional.js';
import { GRU, gruSchema } from './gru.js';
import { LSTM, lstmSchema } from './lstm.js';
import { SimpleRNN, simpleRNNSchema } from './simple-rnn.js';
import { TimeDistributed, timeDistributedSchema } from './time-distributed.js';

/** Recurrent layer types by Keras class name. */
export const recurrentLayers = {
  SimpleRNN: entry(simpleRNNSchema, (c) => new SimpleRNN(c)),
  LSTM: entry(lstmSchema, (c) => new LSTM(c)),
  GRU: entry(gruSchema, (c) => new GRU(c)),
  Bidirectional: entry(bidirectionalSchema, (c) => new Bidirectional(c)),
  TimeDistributed: entry(timeDistributedSchema, (c) => new TimeDistributed(c)),
};

export { SimpleRNN, simpleRNNSchema, type SimpleRNNConfig } from './simple-rnn.js';
export { LSTM, lstmSchema, type LSTMConfig } from './lstm.js';
export { GRU, gruSchema, type GRUConfig } from './gru.js';
export { RecurrentLayer, type CellGradients, type CellStep } from './recurrent-layer.js';
export { recurrentBaseSchema, type RecurrentBaseOptions } from './rnn-schema.js';
export { UnitForgetBias } from './unit-forget-bias.js';
export { Bidirectional, bidirectionalSchema, mergeModeSchema, type BidirectionalConfig, type MergeMode } from './bidirectional.js';
export { TimeDistributed, timeDistributedSchema, type TimeDistributedConfig } from './time-distributed.js';
export { nestedLayerSchema, defaultLayerName } from './nested-layer.js';
