/**
 * The training demo `npm start` runs until the HTTP service exists: trains a 64-64-10 MLP on the 8x8 handwritten
 * digits in test/datasets with Kiln's engine, printing real progress (loss, accuracy, validation, gradient norms,
 * throughput) per epoch and the test accuracy at the end.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Sequential } from '@kiln/neural-engine';

function readDigits(file: string): { x: number[][]; y: number[] } {
  const path = fileURLToPath(new URL(`../../../test/datasets/${file}`, import.meta.url));
  const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const x: number[][] = [];
  const y: number[] = [];
  for (const row of rows) {
    const cells = row.split(',').map(Number);
    y.push(cells.pop()!);
    x.push(cells.map((v) => v / 16)); // pixels are 0..16
  }
  return { x, y };
}

const train = readDigits('digits_train.csv');
const test = readDigits('digits_test.csv');
const epochs = Number(process.env.KILN_DEMO_EPOCHS ?? 20);

const model = Sequential.fromDefinition({
  type: 'Sequential',
  name: 'digits_mlp',
  seed: 7,
  layers: [
    { type: 'Dense', units: 64, activation: 'relu', inputShape: [64] },
    { type: 'Dropout', rate: 0.1 },
    { type: 'Dense', units: 64, activation: 'relu' },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
});
model.compile({ optimizer: { type: 'Adam', learningRate: 0.001 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

console.log(`Kiln training demo: ${train.x.length} training digits, ${test.x.length} test digits\n`);
console.log(model.summary());
console.log();

const history = await model.fit(train.x, train.y, {
  epochs,
  batchSize: 32,
  validationSplit: 0.1,
  callbacks: [{ type: 'EarlyStopping', monitor: 'val_loss', patience: 5, restoreBestWeights: true }],
  onProgress: (event) => {
    if (event.type !== 'epoch') return;
    const l = event.logs;
    const norms = event.diagnostics.map((d) => `${d.layer} ${d.gradNorm.toExponential(1)}`).join(', ');
    console.log(
      `epoch ${String(event.epoch + 1).padStart(2)}/${event.epochs}  loss ${l.loss!.toFixed(4)}  accuracy ${l.accuracy!.toFixed(4)}  ` +
        `val_loss ${l.val_loss!.toFixed(4)}  val_accuracy ${l.val_accuracy!.toFixed(4)}  ` +
        `${Math.round(event.samplesPerSecond)} samples/s  grad norms: ${norms}`,
    );
  },
});

const result = model.evaluate(test.x, test.y);
if (history.stopped) console.log(`\nstopped early: ${history.stopped.message}`);
console.log(`\ntest loss ${result.loss!.toFixed(4)}, test accuracy ${result.accuracy!.toFixed(4)}`);
