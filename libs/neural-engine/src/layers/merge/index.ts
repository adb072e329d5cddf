/*
 * Merge layers for functional graphs: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */

/** Merge layer types by Keras class name. */
export const mergeLayers = {};
