import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KilnProcess, startWorkerProcess } from './support/processes.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';
import { repositoryRoot } from './support/test-database.js';

// The README's walk-through is a promise to newcomers: run its shell block, as written, against a real api and worker.
const readme = readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Walk-through'));
const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

let fx: ServiceFixture;
let worker: KilnProcess;

beforeAll(async () => {
  fx = await createServiceFixture('readme_walkthrough');
  worker = await startWorkerProcess(fx.childEnv);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await fx?.close();
});

describe('the README walk-through', () => {
  it('uploads, registers, trains, watches, reads the history and predicts, as written', async () => {
    expect(block).toContain('KILN=http://127.0.0.1:3000');
    const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
    const script = `set -euo pipefail\n${block.replace('KILN=http://127.0.0.1:3000', `KILN=${base}`)}`;
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: repositoryRoot, maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    // watch-job prints the stream, from the queued status to done.
    expect(lines[0]).toMatch(/^#1 +status +queued/);
    expect(lines.some((l) => /^#\d+ +epoch +1\/20: /.test(l))).toBe(true);
    expect(lines.find((l) => / done +/.test(l))).toMatch(/done +succeeded: model version 1/);
    // Then the job status, the last epoch's metrics, the version and the predicted class.
    const [status, lastEpoch, version, predicted] = lines.slice(-4);
    expect(status).toBe('succeeded');
    expect(Object.keys(JSON.parse(lastEpoch!).logs).sort()).toEqual(['loss', 'val_accuracy']);
    expect(version).toBe('1');
    expect(predicted).toBe('[0]');
  }, 180_000);
});
