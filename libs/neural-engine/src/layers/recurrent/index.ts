/*
 * Recurrent layers and wrappers: SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */

/** Recurrent layer types by Keras class name. */
export const recurrentLayers = {};
