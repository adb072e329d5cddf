import { describe, expect, it } from 'vitest';
import { type TrainingJobRequest, trainingJobRequestSchema } from './training-job.js';

const irisJob = {
  model: {
    type: 'Sequential',
    layers: [
      { type: 'Dense', units: 16, activation: 'relu', inputShape: [4] },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
  },
  datasetId: '2f1c4a9e-8b7d-4e6f-9a1b-3c5d7e9f1a2b',
  compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  fit: { epochs: 100, batchSize: 16, validationSplit: 0.2 },
} satisfies TrainingJobRequest;

const issuePaths = (value: unknown) => {
  const result = trainingJobRequestSchema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => i.path.join('.')) ?? [];
};

describe('trainingJobRequestSchema', () => {
  it('accepts a Keras-style job and applies the engine defaults', () => {
    const parsed = trainingJobRequestSchema.parse(irisJob);
    expect(parsed.model?.layers).toHaveLength(2);
    expect(parsed.fit).toMatchObject({ epochs: 100, batchSize: 16, validationSplit: 0.2, shuffle: true });
  });

  it('fills in the fit config when it is left out, as Keras fit() does', () => {
    const { fit: _fit, ...withoutFit } = irisJob;
    const parsed = trainingJobRequestSchema.parse(withoutFit);
    expect(parsed.fit).toMatchObject({ epochs: 1, batchSize: 32, shuffle: true });
  });

  it('rejects unknown properties at every level (mass assignment)', () => {
    expect(issuePaths({ ...irisJob, tenantId: 'someone-else' })).toEqual(['']);
    expect(issuePaths({ ...irisJob, fit: { ...irisJob.fit, status: 'succeeded' } })).toEqual(['fit']);
  });

  it('takes exactly one of a registered model or an inline definition', () => {
    const { model: _model, ...withoutModel } = irisJob;
    expect(issuePaths(withoutModel)).toEqual(['modelId']);
    expect(issuePaths({ ...irisJob, modelId: '2f1c4a9e-8b7d-4e6f-9a1b-3c5d7e9f1a2c' })).toEqual(['modelId']);
    const registered = { ...withoutModel, modelId: '2f1c4a9e-8b7d-4e6f-9a1b-3c5d7e9f1a2c', initialWeights: { modelVersion: 2 } };
    expect(trainingJobRequestSchema.parse(registered).initialWeights).toEqual({ modelVersion: 2 });
    expect(issuePaths({ ...irisJob, initialWeights: { modelVersion: 1 } })).toEqual(['initialWeights']);
  });

  it('reports engine-level mistakes at their path', () => {
    const badLayer = { ...irisJob, model: { ...irisJob.model, layers: [{ type: 'Dense', units: 0, inputShape: [4] }] } };
    expect(issuePaths(badLayer)).toContain('model.layers.0.units');
    expect(issuePaths({ ...irisJob, fit: { epochs: 0 } })).toContain('fit.epochs');
    expect(issuePaths({ ...irisJob, compile: { ...irisJob.compile, loss: 'no_such_loss' } })).toContain('compile.loss');
    expect(issuePaths({ ...irisJob, datasetId: 'iris.csv' })).toEqual(['datasetId']);
    expect(issuePaths({ ...irisJob, fit: { checkpointEvery: 0 } })).toContain('fit.checkpointEvery');
    expect(issuePaths({ ...irisJob, fit: { initialEpoch: 3 } })).toEqual(['fit']);
    const { compile: _compile, ...withoutCompile } = irisJob;
    expect(issuePaths(withoutCompile)).toEqual(['compile']);
  });
});
