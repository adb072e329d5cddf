import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './start-worker.js';
import { createWorkerFixture, digitsModel, digitsPlan, readDigits, storeDigits, submitDigitsJob, waitForJob, type WorkerFixture } from './test-support/worker-fixture.js';
import type { StartMessage } from './trainer-protocol.js';
import { runTraining } from './training/run-training.js';

// Acceptance point 7: the worker's event loop stays responsive while a job trains (delay p99 < 50 ms), because the
// engine runs in the trainer thread. The negative control runs such a training (twice the hidden units) on this thread
// and shows that the measurement would catch it.
let fx: WorkerFixture;
let worker: RunningWorker;
let datasetId: string;
const hidden = 128;

beforeAll(async () => {
  fx = await createWorkerFixture('worker_event_loop');
  datasetId = await storeDigits(fx.db, fx.tenantId);
  worker = await startWorker(fx.env, { reconcileIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await fx?.close();
});

const ms = (ns: number) => ns / 1e6;

describe('the event loop of the worker', () => {
  it('stays responsive while a job trains for several seconds (delay p99 < 50 ms)', async () => {
    // Epochs enough for several seconds of training: 80 took 2.5 s once the engine got faster.
    const jobId = await submitDigitsJob(fx, datasetId, { epochs: 200, batchSize: 16, definition: digitsModel(hidden) });
    await waitForJob(fx.db, jobId, (j) => j.status === 'running');
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = Date.now();
    const job = await waitForJob(fx.db, jobId);
    histogram.disable();
    const seconds = (Date.now() - started) / 1000;
    expect(job.status).toBe('succeeded');
    const epochs = await fx.db.jobEpoch.count({ where: { jobId } });
    console.log(
      `event loop while training (trainer thread): ${seconds.toFixed(1)} s, ${epochs} epochs, ` +
        `delay p50 ${ms(histogram.percentile(50)).toFixed(1)} ms, p99 ${ms(histogram.percentile(99)).toFixed(1)} ms, max ${ms(histogram.max).toFixed(1)} ms`,
    );
    expect(seconds).toBeGreaterThan(3);
    expect(ms(histogram.percentile(99))).toBeLessThan(50);
  }, 120_000);

  it('negative control: the same training on the main thread blocks it (p99 well above 50 ms)', async () => {
    const digits = readDigits('digits_train.csv');
    const start: StartMessage = {
      type: 'start',
      // Twice the hidden units: an epoch (the stretch between two turns of the loop) then blocks it ~185 ms on the
      // reference backend, leaving room below it for a faster engine (at 128 units it was 104 ms against the bar of 100).
      definition: digitsModel(2 * hidden),
      compile: { optimizer: { type: 'Adam', learningRate: 0.003 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      fit: { epochs: 10, batchSize: 16, shuffle: true, seed: 11, validationSplit: 0, callbacks: [], checkpointEvery: 1 },
      plan: { ...digitsPlan, targetEncoding: 'index' },
      train: digits,
      validation: null,
      resume: { kind: 'fresh' },
      control: new SharedArrayBuffer(4),
      batchMessagesPerSecond: 4,
      // The reference backend: the control must block the loop for long stretches to show what threads prevent.
      backend: 'js',
      threads: 1,
      fault: null,
    };
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = Date.now();
    // The ack stands for the epoch's database write: the loop turns between epochs, as it would in a worker that
    // trained on its main thread, and the delay of each turn is recorded.
    await runTraining(start, { post: () => {}, acked: () => new Promise((resolve) => setImmediate(resolve)) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    histogram.disable();
    const seconds = (Date.now() - started) / 1000;
    console.log(`event loop while training ON the main thread (control): ${seconds.toFixed(1)} s, delay p99 ${ms(histogram.percentile(99)).toFixed(1)} ms, max ${ms(histogram.max).toFixed(1)} ms`);
    expect(ms(histogram.percentile(99))).toBeGreaterThan(100);
  }, 120_000);
});
