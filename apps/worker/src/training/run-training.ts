import { Callback, type CompileArgs, JsBackend, type Logs, type Model, modelFromDefinition, type ProgressEvent, WasmBackend } from '@kiln/neural-engine';
import { type EpochMessage, type FromTrainer, type StartMessage, StopSignal, type TrainingOutcome } from '../trainer-protocol.js';
import { adaptInputNormalization, modelData } from './prepare-data.js';
import { ProgressSampler } from './progress-sampler.js';

/** How the trainer talks to the main thread (a MessagePort in the trainer thread; direct calls in tests). */
export interface TrainerChannel {
  post(message: FromTrainer, transfer?: ArrayBuffer[]): void;
  /** Resolves when the main thread has committed epoch index `epoch` and its checkpoint. */
  acked(epoch: number): Promise<void>;
}

/**
 * One training attempt, start to end: builds and compiles the model, prepares the data, resumes from a checkpoint or
 * initial weights (or adapts input Normalization layers on a fresh start), trains, and reports batches (sampled),
 * epochs (each waiting for the main thread's ack, so a checkpoint is durable before training goes on) and the end.
 */
export async function runTraining(start: StartMessage, channel: TrainerChannel): Promise<void> {
  // The WebAssembly backend splits large ops over a pool of worker threads (TRAINING_THREADS), ended with the attempt.
  const backend = start.backend === 'wasm' ? WasmBackend.create({ threads: start.threads }) : new JsBackend('float32');
  try {
    await train(start, channel, backend);
  } finally {
    if (backend instanceof WasmBackend) await backend.close();
  }
}

async function train(start: StartMessage, channel: TrainerChannel, backend: WasmBackend | JsBackend): Promise<void> {
  const model = modelFromDefinition(seededDefinition(start.definition, start.fit.seed), { backend });
  model.compile(start.compile as CompileArgs);
  const train = modelData(model, start.plan, start.train, 'training');
  const validation = start.validation ? modelData(model, start.plan, start.validation, 'validation') : null;
  const { checkpointEvery, callbacks: configCallbacks = [], ...fitConfig } = start.fit;
  // Keras takes a validationSplit from the end of the arrays; a separate validation set replaces it.
  const trainingRows = validation ? start.train.rows : Math.floor(start.train.rows * (1 - (fitConfig.validationSplit ?? 0)));

  let initialEpoch = 0;
  if (start.resume.kind === 'checkpoint') initialEpoch = model.loadTrainingState(start.resume.state).epoch;
  else if (start.resume.kind === 'weights') model.loadWeights({ manifest: start.resume.manifest, data: start.resume.data });
  else adaptInputNormalization(model, start.definition, train.x, trainingRows);

  const controller = new AbortController();
  const sampler = new ProgressSampler({
    epochs: start.fit.epochs,
    rows: trainingRows,
    batchSize: fitConfig.batchSize ?? 32,
    messagesPerSecond: start.batchMessagesPerSecond,
  });
  const gate = new EpochGate(model, channel, sampler, new Int32Array(start.control), controller, start);
  let lastLogs: Logs | null = null;

  const onProgress = (event: ProgressEvent): void => {
    if (event.type === 'batch') {
      const message = sampler.batch(event);
      if (message) channel.post(message);
      return;
    }
    lastLogs = event.logs;
    gate.epochEnded(event);
  };

  const history = await model.fit(train.x, train.y, {
    ...fitConfig,
    initialEpoch,
    signal: controller.signal,
    onProgress,
    callbacks: [...configCallbacks, gate],
    ...(validation ? { validationData: [validation.x, validation.y] } : {}),
  });

  const reason = history.stopped?.reason;
  const outcome: TrainingOutcome = reason === 'diverged' ? 'diverged' : reason === 'cancelled' ? 'stopped' : 'completed';
  const weights = outcome === 'completed' ? model.saveWeights() : null;
  channel.post(
    {
      type: 'done',
      outcome,
      epoch: model.completedEpochs,
      message: history.stopped?.message ?? `trained ${model.completedEpochs} epochs`,
      weights,
      finalMetrics: lastLogs,
    },
    weights ? [weights.data.buffer as ArrayBuffer] : [],
  );
}

/**
 * Sends each epoch (with the training state when a checkpoint is due) and holds the next epoch until the main thread
 * acknowledges it; checks the shared stop word after every batch, since no message can arrive while batches run.
 */
class EpochGate extends Callback {
  private pendingAck: Promise<void> | null = null;
  private epoch = 0;
  /** Milliseconds the last ack wait took, subtracted from the next epoch's duration (the engine counts it in). */
  private waitedMs = 0;

  constructor(
    private readonly target: Model,
    private readonly channel: TrainerChannel,
    private readonly sampler: ProgressSampler,
    private readonly stopWord: Int32Array,
    private readonly controller: AbortController,
    private readonly start: StartMessage,
  ) {
    super();
  }

  /** Called from onProgress('epoch'), after every callback's onEpochEnd (so EarlyStopping's decision is known). */
  epochEnded(event: Extract<ProgressEvent, { type: 'epoch' }>): void {
    const epoch = event.epoch;
    const completed = epoch + 1;
    const due = completed % this.start.fit.checkpointEvery === 0 || completed >= this.start.fit.epochs || this.target.stopTraining;
    const checkpoint = due ? this.target.saveTrainingState(completed) : null;
    const durationMs = Math.max(event.durationMs - this.waitedMs, 1e-3);
    const message: EpochMessage = {
      type: 'epoch',
      epoch,
      logs: event.logs,
      learningRate: event.learningRate,
      durationMs,
      samplesPerSecond: (event.samplesPerSecond * event.durationMs) / durationMs,
      diagnostics: event.diagnostics,
      checkpoint,
    };
    this.channel.post(message, checkpoint ? [checkpoint.buffer as ArrayBuffer] : []);
    this.pendingAck = this.channel.acked(epoch);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.waitedMs = 0;
    await this.awaitAck();
    this.checkStop();
  }

  override onBatchEnd(batch: number): void {
    this.checkStop();
    const exitAt = this.start.fault?.exitAt;
    // Test-only fault injection: the thread dies mid-epoch, as an out-of-memory or a native crash would end it.
    if (exitAt && exitAt.epoch === this.epoch && exitAt.batch === batch) process.exit(1);
  }

  override async onTrainEnd(): Promise<void> {
    await this.awaitAck();
  }

  private async awaitAck(): Promise<void> {
    if (!this.pendingAck) return;
    const started = performance.now();
    await this.pendingAck;
    this.pendingAck = null;
    this.waitedMs = performance.now() - started;
    this.sampler.addPause(this.waitedMs);
  }

  private checkStop(): void {
    if (Atomics.load(this.stopWord, 0) !== StopSignal.none && !this.controller.signal.aborted) this.controller.abort();
  }
}

/**
 * A job's fit seed also seeds the model's initial weights when its definition names no seed of its own (as Keras's
 * set_random_seed seeds everything): the same job config trains to the same weights.
 */
function seededDefinition(definition: unknown, seed: number | undefined): unknown {
  const def = definition as { seed?: number };
  return seed === undefined || def.seed !== undefined ? definition : { ...def, seed };
}
