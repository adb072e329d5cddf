import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Sequential } from '@kiln/neural-engine';
import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../csv/parse-csv.js';
import { collect, randomPieces } from '../testing/sources.js';
import { encodeTargets } from './encode-targets.js';
import { planTrainingData } from './plan-training-data.js';

const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** An iris split with the species spelled out, as users upload it. */
function irisWithNames(file: string): string {
  const path = fileURLToPath(new URL(`../../../../test/datasets/${file}`, import.meta.url));
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  return `${header!.replace(/label$/, 'species')}\n${rows.map((r) => r.replace(/(\d)$/, (d) => SPECIES[Number(d)]!)).join('\n')}\n`;
}

describe('a parsed dataset feeds the engine', () => {
  it('iris with string classes: parse, plan, one-hot encode, standardize with the summary, train, reach >= 0.9 test accuracy', async () => {
    const train = await collect((on) => parseCsvDataset(randomPieces(irisWithNames('iris_train.csv'), 1), {}, on));
    const test = await collect((on) => parseCsvDataset(randomPieces(irisWithNames('iris_test.csv'), 2), {}, on));
    expect(train.summary.classNames).toEqual(SPECIES);
    expect(train.summary.classCounts).toEqual({ setosa: 40, versicolor: 40, virginica: 40 });

    const model = new Sequential([
      { type: 'Dense', units: 16, activation: 'relu', inputShape: [4] },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ], { seed: 3 });
    model.compile({ optimizer: { type: 'Adam', learningRate: 0.01 }, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const shapes = { inputShapes: model.inputShapes.map((s) => [...s]), outputShapes: model.outputShapes.map((s) => [...s]) };
    const plan = planTrainingData(train.summary, shapes, 'categorical_crossentropy');
    expect(plan).toMatchObject({ targetEncoding: 'one-hot', numClasses: 3, targetShape: [3] });

    const standardize = (x: Float32Array) => {
      const out = new Float32Array(x.length);
      train.summary.featureStats.forEach((s, j) => {
        for (let i = j; i < x.length; i += 4) out[i] = (x[i]! - s.mean) / s.std;
      });
      return out;
    };
    const targets = encodeTargets(train.y, train.summary.rows, plan);
    await model.fit({ shape: [train.summary.rows, ...plan.inputShape], data: standardize(train.x) }, { shape: [train.summary.rows, ...plan.targetShape], data: targets }, {
      epochs: 60,
      batchSize: 8,
    });
    const predictions = model.predict({ shape: [test.summary.rows, 4], data: standardize(test.x) }).data;
    let correct = 0;
    for (let i = 0; i < test.summary.rows; i++) {
      const row = Array.from(predictions.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
    }
    expect(correct / test.summary.rows).toBeGreaterThanOrEqual(0.9);
  });
});
