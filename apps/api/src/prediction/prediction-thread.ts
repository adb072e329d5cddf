import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type Model, modelFromDefinition } from '@kiln/neural-engine';
import { type PredictionOutput, runModel } from './run-model.js';
import { type FromThread, type PredictCommand, type ThreadError, ThreadCommand, ThreadReply, type ToThread } from './thread-protocol.js';

/*
 * Entry of a prediction thread (run from dist/prediction/prediction-thread.js by the predictor's pool). It keeps the
 * engine models it was sent, keyed by version id, until the main thread says to drop one: the main thread mirrors
 * this map in a byte-bounded LRU, so what a thread holds stays bounded too.
 */

if (!parentPort) throw new Error('prediction-thread.js runs in a worker thread: the predictor spawns it');
const port = parentPort;

/**
 * Runs this thread (only) at a lower CPU priority, so the event loop wins whenever they compete for a core: prediction
 * is throughput work, the event loop is everyone's latency. Linux gives every thread its own nice value, addressed by
 * its thread id; elsewhere this does nothing.
 */
function lowerPriority(niceness: number): void {
  if (process.platform !== 'linux' || niceness === 0) return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, niceness);
  } catch {
    // No /proc, or not allowed: run at the process's priority.
  }
}
lowerPriority((workerData as { niceness?: number } | null)?.niceness ?? 0);
const models = new Map<string, Model>();
let loads = 0;

const reply = (message: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const failure = (code: string, error: unknown): ThreadError => ({
  code,
  message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
});

/** Buffers that can move to the main thread without a copy; anything else (shared, partial views) is copied first. */
function transferable(outputs: PredictionOutput[]): { outputs: PredictionOutput[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const moved = outputs.map((output) => {
    const { buffer } = output.data;
    const whole = buffer instanceof ArrayBuffer && output.data.byteOffset === 0 && output.data.byteLength === buffer.byteLength;
    if (!whole || transfer.includes(buffer)) {
      const copy = output.data.slice();
      transfer.push(copy.buffer);
      return { shape: output.shape, data: copy };
    }
    transfer.push(buffer);
    return output;
  });
  return { outputs: moved, transfer };
}

function modelFor(command: PredictCommand): Model {
  const held = models.get(command.versionId);
  if (held) return held;
  if (!command.load) throw new Error(`version ${command.versionId} is not held by this thread and no weights came with the request`);
  const model = modelFromDefinition(command.load.definition);
  model.loadWeights({ manifest: command.load.manifest, data: command.load.weights });
  loads++;
  if (command.load.retain) models.set(command.versionId, model);
  return model;
}

function predict(command: PredictCommand): void {
  let model: Model;
  try {
    model = modelFor(command);
  } catch (error) {
    reply({ type: ThreadReply.Failed, requestId: command.requestId, error: failure('MODEL_LOAD_FAILED', error) });
    return;
  }
  try {
    const { outputs, transfer } = transferable(runModel(model, command.inputs, command.rows));
    reply({ type: ThreadReply.Result, requestId: command.requestId, outputs }, transfer);
  } catch (error) {
    reply({ type: ThreadReply.Failed, requestId: command.requestId, error: failure('PREDICTION_FAILED', error) });
  }
}

port.on('message', (command: ToThread) => {
  switch (command.type) {
    case ThreadCommand.Predict:
      predict(command);
      break;
    case ThreadCommand.Drop:
      models.delete(command.versionId);
      break;
    case ThreadCommand.Inspect:
      reply({ type: ThreadReply.Inspected, requestId: command.requestId, versionIds: [...models.keys()], loads });
      break;
  }
});

reply({ type: ThreadReply.Ready });
