import type { TrainingDataPlan } from '@kiln/datasets';
import type { CompileConfig, FitConfig, LayerDiagnostics, Logs, ModelDefinition, WeightSpec } from '@kiln/neural-engine';

/*
 * The messages between the worker's main thread and its trainer thread: one union per direction, discriminated by
 * `type`. Typed arrays travel by transfer (their buffers move, nothing is copied). Stopping does not use a message:
 * the trainer is busy in synchronous batch math and reads messages only between epochs, so the main thread writes
 * a stop word into shared memory that the trainer checks after every batch.
 */

/** Values of the shared stop word (Int32Array over `start.control`, index 0). */
export const StopSignal = { none: 0, cancel: 1, shutdown: 2 } as const;
export type StopSignal = (typeof StopSignal)[keyof typeof StopSignal];

/** Arrays of one dataset: flat float32, rows first. */
export interface TrainerArrays {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/** Where training starts from: a checkpoint (exact resume), the weights of an earlier version, or scratch. */
export type TrainerResume =
  | { kind: 'checkpoint'; epoch: number; state: Uint8Array }
  | { kind: 'weights'; manifest: WeightSpec[]; data: Uint8Array }
  | { kind: 'fresh' };

/** Test-only fault injection: the thread exits with code 1 after this batch (0-based epoch and batch indexes). */
export interface TrainerFault {
  exitAt: { epoch: number; batch: number };
}

/** Main → trainer: everything one attempt trains with. */
export interface StartMessage {
  type: 'start';
  definition: ModelDefinition;
  compile: CompileConfig;
  /** The job's fit config; initialEpoch comes from the checkpoint. */
  fit: Omit<FitConfig, 'initialEpoch'> & { epochs: number; checkpointEvery: number };
  plan: TrainingDataPlan;
  train: TrainerArrays;
  validation: TrainerArrays | null;
  resume: TrainerResume;
  /** SharedArrayBuffer of one Int32 holding a StopSignal. */
  control: SharedArrayBuffer;
  /** Most batch messages per second (epoch messages are never dropped). */
  batchMessagesPerSecond: number;
  /** The engine backend to train on (TRAINING_BACKEND). */
  backend: 'wasm' | 'js';
  /** Threads to compute on, this one included (TRAINING_THREADS; the WebAssembly backend only). */
  threads: number;
  fault: TrainerFault | null;
}

/** Main → trainer: the epoch's records (and checkpoint) are committed; training may go on. `epoch` is the index. */
export interface AckMessage {
  type: 'ack';
  epoch: number;
}

export type ToTrainer = StartMessage | AckMessage;

/*
 * Numbering as in the engine and Keras: epoch and batch are 0-based indexes; "epochs completed" counts are named so.
 */

/** Trainer → main: a sampled batch. */
export interface BatchMessage {
  type: 'batch';
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  logs: Logs;
  /** Norms of the latest batch that carried them since the last batch message. */
  diagnostics: { batch: number; layers: LayerDiagnostics[] } | null;
  progress: number;
  etaSeconds: number | null;
  samplesPerSecond: number;
}

/** Trainer → main: a completed epoch, with the training state (after epoch + 1 epochs) when a checkpoint is due. Needs an ack. */
export interface EpochMessage {
  type: 'epoch';
  epoch: number;
  logs: Logs;
  learningRate: number;
  durationMs: number;
  samplesPerSecond: number;
  diagnostics: LayerDiagnostics[];
  checkpoint: Uint8Array | null;
}

/** How training ended. */
export type TrainingOutcome =
  /** Every epoch ran, or a callback (EarlyStopping) ended training. */
  | 'completed'
  /** The stop word was set (cancel or shutdown). */
  | 'stopped'
  /** Non-finite loss. */
  | 'diverged';

/** Trainer → main: training ended; weights and final metrics when it completed. */
export interface DoneMessage {
  type: 'done';
  outcome: TrainingOutcome;
  /** Epochs completed (a count). */
  epoch: number;
  message: string;
  weights: { manifest: WeightSpec[]; data: Uint8Array } | null;
  /** Logs of the last epoch this attempt ran (null if it ran none). */
  finalMetrics: Logs | null;
}

/** Trainer → main: training threw. `invalid` when the job itself is at fault (config or data): retrying is useless. */
export interface FailedMessage {
  type: 'failed';
  invalid: boolean;
  name: string;
  message: string;
}

export type FromTrainer = BatchMessage | EpochMessage | DoneMessage | FailedMessage;
