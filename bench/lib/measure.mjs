// The timing protocol every system follows (the PyTorch child mirrors it in Python): warm up, then time training
// steps until a batch count or a time budget runs out, whichever comes first; then the same for inference.

const now = () => performance.now() / 1000;

/**
 * Runs `step(i)` through a warm-up and a timed window. A warm-up batch slower than the whole window (TF.js `cpu` on
 * W2 takes ~45 s per batch) is itself the measurement: a second batch would double the time for no new information,
 * and one-off start-up costs are negligible next to such a batch. `fromWarmup` says when that happened.
 */
export async function timedLoop(step, batch, { warmupSeconds, batches, seconds }) {
  let i = 0;
  let firstBatchSeconds = null;
  const warmStart = now();
  while (i === 0 || now() - warmStart < warmupSeconds) {
    const t = now();
    await step(i++);
    firstBatchSeconds ??= now() - t;
  }
  if (i === 1 && firstBatchSeconds >= seconds) {
    return { samplesPerSec: batch / firstBatchSeconds, batches: 1, seconds: firstBatchSeconds, warmupBatches: 0, firstBatchSeconds, fromWarmup: true };
  }
  const warmed = i;
  const start = now();
  let n = 0;
  do {
    await step(i++);
    n++;
  } while (n < batches && now() - start < seconds);
  const elapsed = now() - start;
  return { samplesPerSec: (n * batch) / elapsed, batches: n, seconds: elapsed, warmupBatches: warmed, firstBatchSeconds, fromWarmup: false };
}

/**
 * Measures training then inference with the steps a system provides, and returns what the child reports. A step
 * that throws on its first call means the system cannot run that phase (TF.js `wasm` has no Conv2DBackpropFilter):
 * that is reported as `cannot` with the system's own message, and the other phase is still measured.
 */
export async function measurePhases(spec, { trainStep, inferStep }) {
  const phase = async (step, budget) => {
    try {
      return await timedLoop(step, spec.batch, budget);
    } catch (error) {
      return { cannot: firstLine(error) };
    }
  };
  const b = spec.budget;
  const train = await phase(trainStep, { warmupSeconds: b.warmupSeconds, batches: b.trainBatches, seconds: b.trainSeconds });
  const infer = await phase(inferStep, { warmupSeconds: b.warmupSeconds, batches: b.inferBatches, seconds: b.inferSeconds });
  return { train, infer };
}

function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 200);
}

/** Prints the child's result as the one line the parent parses, with the process's peak RSS (VmHWM) in MiB. */
export function report(result) {
  // resourceUsage().maxRSS is in KiB on Linux: the high-water mark of this whole process, imports included.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...result, peakRssMiB })}\n`);
}

/** Reads the spec the parent passes as the first argument. */
export function readSpec() {
  const raw = process.argv[2];
  if (!raw) throw new Error('usage: node <child>.mjs <spec JSON>; this file is started by bench/run.mjs');
  return JSON.parse(raw);
}
