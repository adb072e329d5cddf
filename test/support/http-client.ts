import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './test-database.js';

/** A tiny JSON client over real HTTP for cross-process tests. */
export function httpClient(base: string) {
  return async function http<T = Record<string, unknown>>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || body === undefined ? (body as string | undefined) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export const datasetCsv = (name: string): string => readFileSync(path.join(repositoryRoot, 'test', 'datasets', name), 'utf8');

/** Uploads a CSV of test/datasets and returns the dataset id. */
export async function uploadCsv(base: string, file: string): Promise<string> {
  const { status, body } = await httpClient(base)('POST', `/v1/datasets?name=${file}`, datasetCsv(file), { 'content-type': 'text/csv' });
  if (status !== 201) throw new Error(`upload of ${file} failed: ${status} ${JSON.stringify(body)}`);
  return String(body.id);
}

/** The 64-64-10 digits MLP (pixels 0..16 rescaled to 0..1 first). */
export const digitsMlp = {
  type: 'Sequential',
  layers: [
    { type: 'Rescaling', scale: 1 / 16, inputShape: [64] },
    { type: 'Dense', units: 64, activation: 'relu' },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
};

/** A digits MLP job body (Adam); `epochs` and `batchSize` tune how long it runs. */
export function digitsJob(datasetId: string, fit: Record<string, unknown>): Record<string, unknown> {
  return {
    model: digitsMlp,
    datasetId,
    compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
    fit: { seed: 3, ...fit },
  };
}
