// The module's exports: every kernel the host (src/backend/wasm/) calls.
export { gemm, gemmScratchBytes, heapBase } from './gemm';
export { avgPool, avgPoolBackward, col2im, im2col, maxPool, maxPoolBackward } from './window';
export { addRowVector, axpy, elementwise, fill, scale, sumRows } from './rows';
export { optimizerUpdate } from './optimizers';
export { reluBackward, reluForward } from './activations';
export { lstmBackwardSigmoidTanh, lstmForwardSigmoidTanh, lstmSequenceBackwardSigmoidTanh, lstmSequenceSigmoidTanh } from './lstm';
export { keepMask } from './random';
export { softmaxCrossentropyBackward } from './softmax-crossentropy';
export { allFinite } from './finite';
