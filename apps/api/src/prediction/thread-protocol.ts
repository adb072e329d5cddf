import type { WeightSpec } from '@kiln/neural-engine';
import type { PredictionOutput } from './run-model.js';

/*
 * Messages between the predictor (main thread) and its prediction threads. Every message has a `type`; requests carry
 * a `requestId` that their reply repeats. Errors travel as {code, message}, never as Error objects (which lose their
 * class and fields on the way).
 */

/** What the main thread asks of a prediction thread. */
export const ThreadCommand = {
  /** Run a model version on a batch; `load` carries the version when the thread does not hold it yet. */
  Predict: 'predict',
  /** Forget a version (its mirror on the main thread evicted it). */
  Drop: 'drop',
  /** Report the versions held (tests and diagnostics). */
  Inspect: 'inspect',
} as const;

/** What a prediction thread answers. */
export const ThreadReply = {
  /** The thread has loaded the engine and takes commands. */
  Ready: 'ready',
  Result: 'result',
  Failed: 'failed',
  Inspected: 'inspected',
} as const;

/** Everything a thread needs to build a version: definition plus weights (bytes on a SharedArrayBuffer, not copied). */
export interface VersionPayload {
  definition: unknown;
  manifest: WeightSpec[];
  weights: Uint8Array;
  /** False when the version is larger than the thread's share of memory: used for this request, then dropped. */
  retain: boolean;
}

export interface PredictCommand {
  type: typeof ThreadCommand.Predict;
  requestId: number;
  versionId: string;
  load?: VersionPayload | undefined;
  rows: number;
  /** One flat array per model input; their buffers are transferred, not copied. */
  inputs: Float32Array[];
}

export interface DropCommand {
  type: typeof ThreadCommand.Drop;
  versionId: string;
}

export interface InspectCommand {
  type: typeof ThreadCommand.Inspect;
  requestId: number;
}

export type ToThread = PredictCommand | DropCommand | InspectCommand;

/** An error as data: a stable code and a message for people. */
export interface ThreadError {
  code: string;
  message: string;
}

export interface ReadyReply {
  type: typeof ThreadReply.Ready;
}

export interface ResultReply {
  type: typeof ThreadReply.Result;
  requestId: number;
  outputs: PredictionOutput[];
}

export interface FailedReply {
  type: typeof ThreadReply.Failed;
  requestId: number;
  error: ThreadError;
}

export interface InspectedReply {
  type: typeof ThreadReply.Inspected;
  requestId: number;
  /** Versions held, and how many times weights were loaded since the thread started. */
  versionIds: string[];
  loads: number;
}

export type FromThread = ReadyReply | ResultReply | FailedReply | InspectedReply;
