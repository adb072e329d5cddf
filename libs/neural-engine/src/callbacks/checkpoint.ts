import { Callback, type Logs } from './callback.js';

/** A checkpoint handed to the hook: the whole training state as bytes, and where training stands. */
export interface TrainingCheckpoint {
  /** Epochs completed so far (the next fit resumes with initialEpoch = epoch). */
  epoch: number;
  /** Logs of the epoch just completed. */
  logs: Logs;
  /** Weights, optimizer state and RNG state (Sequential.saveTrainingState format). */
  state: Uint8Array;
}

/** What the checkpoint hook needs of the model. */
export interface CheckpointableModel {
  saveTrainingState(epoch: number): Uint8Array;
}

/**
 * Calls `onCheckpoint` with the full training state every `everyEpochs` epochs (and after the last one), awaiting it
 * before training continues: the hook the worker uses to write checkpoints that a retried job resumes from.
 */
export class CheckpointHook extends Callback {
  private readonly everyEpochs: number;

  constructor(
    private readonly target: CheckpointableModel,
    private readonly onCheckpoint: (checkpoint: TrainingCheckpoint) => void | Promise<void>,
    options: { everyEpochs?: number } = {},
  ) {
    super();
    this.everyEpochs = options.everyEpochs ?? 1;
    if (!Number.isInteger(this.everyEpochs) || this.everyEpochs < 1) {
      throw new RangeError(`everyEpochs must be a positive integer, received ${options.everyEpochs}`);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if ((epoch + 1) % this.everyEpochs === 0 || this.model.stopTraining) {
      await this.onCheckpoint({ epoch: epoch + 1, logs: { ...logs }, state: this.target.saveTrainingState(epoch + 1) });
    }
  }
}
