/*
 * Parsing throughput of the dataset parsers on generated data held in memory (so the disk is not measured). Compiled
 * (representative figures; jiti's on-the-fly transpilation runs the parsers 2-4× slower):
 *   npx tsc --outDir /tmp/dsbench --rootDir libs/datasets --module nodenext --moduleResolution nodenext --target es2022 \
 *     --skipLibCheck --strict libs/datasets/bench/csv-throughput.ts
 *   echo '{"type":"module"}' > /tmp/dsbench/package.json && node /tmp/dsbench/bench/csv-throughput.js [megabytes=50] [runs=5]
 * or quickly: npx jiti libs/datasets/bench/csv-throughput.ts [megabytes=50] [runs=5]
 * Prints MB/s per run and the median for a CSV of 32 columns of 3-decimal floats (the common case), a CSV of small
 * integers (digits-like), and the same float data as JSON and NPY.
 */
import { parseCsvDataset } from '../src/csv/parse-csv.js';
import { parseJsonDataset } from '../src/json/parse-json.js';
import { parseNpyDataset } from '../src/npy/parse-npy.js';
import { encodeNpy } from '../src/testing/npy-encoder.js';
import { seededRandom } from '../src/testing/sources.js';

const megabytes = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 5);
const PIECE = 64 * 1024; // what an HTTP body stream typically yields

function pieces(buffer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += PIECE) out.push(buffer.subarray(i, i + PIECE));
  return out;
}

async function* stream(parts: Buffer[]): AsyncGenerator<Buffer> {
  yield* parts;
}

function generateCsv(columns: number, cell: (random: () => number) => string): Buffer {
  const random = seededRandom(1);
  const lines = [`${Array.from({ length: columns - 1 }, (_, j) => `f${j}`).join(',')},label`];
  let size = 0;
  while (size < megabytes * 1e6) {
    const row = `${Array.from({ length: columns - 1 }, () => cell(random)).join(',')},${Math.floor(random() * 10)}`;
    lines.push(row);
    size += row.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function measure(name: string, bytes: number, parse: () => Promise<{ rows: number }>): Promise<void> {
  const rates: number[] = [];
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    rows = (await parse()).rows;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(bytes / 1e6 / seconds);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} ${(bytes / 1e6).toFixed(1).padStart(6)} MB ${String(rows).padStart(9)} rows  `
    + `median ${sorted[Math.floor(runs / 2)]!.toFixed(1).padStart(6)} MB/s  runs: ${rates.map((v) => v.toFixed(0)).join(', ')}`);
}

const discard = async () => {};
const floats = generateCsv(33, (random) => (random() * 200 - 100).toFixed(3));
const ints = generateCsv(65, (random) => String(Math.floor(random() * 17)));
console.log(`node ${process.version}, ${runs} runs each, ${PIECE / 1024} KiB pieces`);
await measure('CSV, 32 float columns', floats.length, () => parseCsvDataset(stream(pieces(floats)), {}, discard));
await measure('CSV, 64 integer columns (digits)', ints.length, () => parseCsvDataset(stream(pieces(ints)), {}, discard));

// The same float data as JSON and NPY.
const rows = floats.toString('latin1').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
const json = Buffer.from(JSON.stringify({ x: rows.map((r) => r.slice(0, 32)), y: rows.map((r) => r[32]) }));
await measure('JSON, 32 floats per sample', json.length, () => parseJsonDataset(stream(pieces(json)), {}, discard));
const npyX = Buffer.from(encodeNpy(rows.flatMap((r) => r.slice(0, 32)), [rows.length, 32], '<f4'));
const npyY = Buffer.from(encodeNpy(rows.map((r) => r[32]!), [rows.length], '<i8'));
await measure('NPY <f4, 32 floats per sample', npyX.length + npyY.length,
  () => parseNpyDataset(stream(pieces(npyX)), stream(pieces(npyY)), {}, discard));
