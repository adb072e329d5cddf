import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from './support/http-client.js';
import { createServiceFixture, type ServiceFixture } from './support/service-fixture.js';

// TensorFlow.js itself is the client: it saves a model to POST /v1/models/import with tf.io.http, and loads Kiln's
// export with tf.loadLayersModel from GET /v1/models/:id/tfjs/model.json. Predictions agree both ways.
let fx: ServiceFixture;
let base: string;

beforeAll(async () => {
  fx = await createServiceFixture('api_interchange');
  base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

function buildTfjsModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 3], name: 'sequence' });
  const lstm = tf.layers.lstm({ units: 6, returnSequences: false, name: 'lstm' }).apply(input) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 5, activation: 'relu', name: 'hidden' }).apply(lstm) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 4, activation: 'softmax', name: 'probabilities' }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'sequence_classifier' });
}

const samples = Array.from({ length: 5 }, (_, i) => Array.from({ length: 8 }, (_, t) => [Math.sin(i + t), Math.cos(i * t), (i - t) / 8]));

function expectClose(actual: number[][], expected: number[][]) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(expected[i]![j]!))));
}

describe('TensorFlow.js as a client', () => {
  it('model.save(tf.io.http(.../v1/models/import)) creates a model with version 1 that predicts like TF.js, and tf.loadLayersModel reads it back', async () => {
    const model = buildTfjsModel();
    const expected = (model.predict(tf.tensor3d(samples)) as tf.Tensor).arraySync() as number[][];
    const saved = await model.save(tf.io.http(`${base}/v1/models/import?name=from-tfjs`, { fetchFunc: fetch }));
    const response = saved.responses![0]!;
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; source: string; latestVersion: number; summary: { totalParams: number } };
    expect(created).toMatchObject({ source: 'tfjs', latestVersion: 1 });
    expect(created.summary.totalParams).toBe(model.countParams());

    const http = httpClient(base);
    const prediction = await http<{ predictions: number[][]; predictedClasses: number[] }>('POST', `/v1/models/${created.id}/predict`, { instances: samples });
    expect(prediction.status).toBe(200);
    expectClose(prediction.body.predictions, expected);
    const columns = await http<{ outputs: number[][] }>('POST', `/v1/models/${created.id}/versions/1/predict`, { inputs: samples });
    expectClose(columns.body.outputs, expected);

    const loaded = await tf.loadLayersModel(`${base}/v1/models/${created.id}/tfjs/model.json`, { fetchFunc: fetch });
    expectClose((loaded.predict(tf.tensor3d(samples)) as tf.Tensor).arraySync() as number[][], expected);
  });

  it('a model Kiln cannot honour is refused with the layer and its class named, and nothing is stored', async () => {
    const input = tf.input({ shape: [4] });
    const output = tf.layers.dense({ units: 2, name: 'head' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const saved = await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as { config: { layers: { class_name: string }[] } };
        topology.config.layers[1]!.class_name = 'MyCustomDense';
        const form = new FormData();
        form.append('model.json', new Blob([JSON.stringify({ modelTopology: topology, weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs }] })]), 'model.json');
        form.append('model.weights.bin', new Blob([artifacts.weightData as ArrayBuffer]), 'model.weights.bin');
        const answer = await fetch(`${base}/v1/models/import`, { method: 'POST', body: form });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, responses: [answer] };
      }),
    );
    const answer = saved.responses![0]!;
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { code: string; message: string };
    expect(body.message).toMatch(/MyCustomDense/);
    expect(body.message).toMatch(/head/);
    expect(await fx.db.model.count({ where: { name: { not: 'from-tfjs' } } })).toBe(0);
  });
});

describe('Keras JSON with weights', () => {
  /** POSTs a Keras model.json (from TF.js's toJSON) with the given weights.json and weights.bin parts. */
  async function importKeras(weightsJson: string): Promise<Response> {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'only' })] });
    const form = new FormData();
    form.append('model.json', new Blob([JSON.stringify(model.toJSON(null, false))]), 'model.json');
    form.append('weights.json', new Blob([weightsJson]), 'weights.json');
    form.append('weights.bin', new Blob([new Float32Array(8).buffer]), 'weights.bin');
    return fetch(`${base}/v1/models/import?name=keras-bad-weights`, { method: 'POST', body: form });
  }

  it('a weights.json that is not JSON, or not a list of weight specs, is refused by name and nothing is stored', async () => {
    const notJson = await importKeras('{"name": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ code: 'MALFORMED_JSON', message: expect.stringMatching(/^weights\.json is not valid JSON/) });
    const notList = await importKeras('{"name": "only/kernel"}');
    expect(notList.status).toBe(400);
    expect(await notList.json()).toMatchObject({ code: 'INVALID_MODEL', message: expect.stringMatching(/weights\.json: expected an array of weight specs \{name, shape, dtype\}/) });
    expect(await fx.db.model.count({ where: { name: 'keras-bad-weights' } })).toBe(0);
  });
});
