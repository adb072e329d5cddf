import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { FailedMessage, FromTrainer, StartMessage, ToTrainer } from './trainer-protocol.js';
import { runTraining, type TrainerChannel } from './training/run-training.js';

/*
 * Entry of the trainer thread (spawned from dist/trainer-thread.js): all engine math of a job runs here, so the
 * worker's main thread stays free for Redis lock renewal, Postgres writes and message relay. One thread per attempt.
 */

const port = parentPort;
if (!port) throw new Error('trainer-thread.js runs in a worker thread: spawn it with new Worker(...)');

/** Niceness of the trainer thread: training is batch work, the main thread's lock renewal and relay are not. */
const TRAINER_NICENESS = 10;

/**
 * Lowers this thread's CPU priority, so that on a busy machine the main thread still runs as soon as it has work
 * (a late lock renewal makes BullMQ declare the job stalled). Linux schedules threads as tasks with their own nice
 * value, set through the thread id that /proc/thread-self names; elsewhere nothing happens.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, TRAINER_NICENESS);
  } catch {
    // Not Linux, or not permitted: training runs at normal priority.
  }
}
lowerPriority();

const waiting = new Map<number, () => void>();
const acked = new Set<number>();

const channel: TrainerChannel = {
  post: (message: FromTrainer, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer),
  acked: (epoch) => {
    if (acked.delete(epoch)) return Promise.resolve();
    return new Promise((resolve) => waiting.set(epoch, resolve));
  },
};

port.on('message', (message: ToTrainer) => {
  if (message.type === 'ack') {
    const resolve = waiting.get(message.epoch);
    waiting.delete(message.epoch);
    if (resolve) resolve();
    else acked.add(message.epoch);
    return;
  }
  void train(message);
});

async function train(start: StartMessage): Promise<void> {
  try {
    await runTraining(start, channel);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    // ConfigError and DataError: the job's definition or data is at fault, and a retry would fail the same way.
    const failed: FailedMessage = { type: 'failed', invalid: e.name === 'ConfigError' || e.name === 'DataError' || e.name === 'DatasetError', name: e.name, message: e.message };
    port!.postMessage(failed);
  } finally {
    // Nothing else to do: let the thread end (exit code 0) once its last message is out.
    port!.unref();
  }
}
