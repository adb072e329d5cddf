import { availableParallelism } from 'node:os';
import type { ActivationKernel } from '../../kernels/activations.js';
import type { LstmKinds, LstmStepTensors } from '../../kernels/lstm-cell.js';
import type { OptimizerRule, Slots, UpdateCoefficients } from '../../kernels/optimizer-updates.js';
import type { ChannelRange, WindowGeometry } from '../../kernels/window-geometry.js';
import { type Shape, type Tensor, formatShape, shapeSize } from '../../tensor.js';
import type { Rng } from '../../rng.js';
import type {
  LstmSequenceGradients, LstmSequenceOptions, LstmSequenceRecord, LstmSequenceResult, MatmulOptions, StepKind,
} from '../backend.js';
import { JsBackend, JsTensor } from '../js-backend.js';
import { matmulDims } from '../matmul-dims.js';
import { RECORD_WIDTH, lstmRecordDims, lstmSequenceDims } from '../lstm-sequence.js';
import { checkActivationGradient, checkLstmBackward, checkOptimizerUpdate, lstmDims, softmaxCrossentropyDims } from '../op-checks.js';
import type { WasmF32 } from './float-arena.js';
import { ResidentMemory } from './resident-memory.js';
import type { SharedMemoryOptions } from './shared-memory.js';
import type { ElementwiseOp } from './rows.js';
import { StepMemory } from './step-memory.js';
import { WasmKernels } from './wasm-kernels.js';
import { CallRecorder } from './pool/call-recorder.js';
import { KernelPool, type PoolStats } from './pool/kernel-pool.js';

/*
 * The WebAssembly backend: JsBackend's API with the heavy ops in SIMD kernels over one shared memory.
 *
 * Where a tensor lives decides what an op costs. Tensors made in a training step (Backend.step) and lasting ones
 * (weights, gradients, optimizer state: Backend.lasting) are views into the memory, "resident": kernels work on them
 * in place (step-memory.ts plans the former per batch size, resident-memory.ts keeps the latter). Every other tensor
 * — built outside a step, or past the memory's limits — is an ordinary JS-heap Float32Array, and an op copies it
 * into a grow-only staging region, runs the kernel there and copies the result out. The row ops (bias add, bias
 * gradient, axpy, scale) go the same way: memory-bound, yet the JS loops (~1.5 ns a float) lose to the SIMD pass even
 * with the copies (1.5–4× at 64×128 and above). Callbacks (map/map2), fill and reductions stay JsBackend's loops,
 * which read resident tensors like any other.
 * With `threads` > 1 a kernel call big enough to pay for the hand-off is split between the calling thread and a pool
 * of workers over the same memory (pool/); copies stay on the calling thread.
 */

/** Options of WasmBackend.create. */
export interface WasmBackendOptions extends SharedMemoryOptions {
  /**
   * Matmuls below this many multiply-adds (m·k·n) run the JS kernel: the copies and the call cost more than they save.
   * Measured by libs/neural-engine/bench/wasm-crossover.mjs (2-core dev machine, load ≈ 2.3): wasm including the copies is even with JS
   * at 4×8×8 (256, ~0.4 µs both), 2× faster at 8×8×8 (512) and 6× at 8×16×16 (2,048); tiny ones (2×4×4) take 4 µs
   * in wasm against 0.1–1 µs in JS. Default 0 all the same: the two kernels sum in different orders, and a threshold
   * on m·k·n would give a sample different last bits in a batch of 1 than in a batch of 300 (m is the batch). With
   * every product in wasm a sample's prediction does not depend on its batch; tiny products pay a few µs for that.
   */
  gemmThreshold?: number;
  /**
   * Window ops (im2col/col2im/pooling) whose input and output together hold fewer floats than this run the JS kernel.
   * Measured by the same script: im2col pays from ~1,000 floats, max pooling from ~1,500, its backward is even or
   * noisy up to ~3,000 floats (its JS loop is cheap). Default 4,096. 0 sends every non-empty window op to wasm (tests).
   */
  windowThreshold?: number;
  /**
   * Row ops (addRowVector, sumRows, axpyInPlace, addInPlace, scale) on fewer floats than this run the JS loop.
   * Measured by the same script: even at ~256 floats (8×32), wasm with its copies 1.2–3× faster at 1,024 (16×64) and
   * 2–4× at 8,192 (64×128); axpy gains least (two operands copied in for one pass). Default 1,024. 0 sends every
   * non-empty row op to wasm (tests).
   */
  rowThreshold?: number;
  /**
   * Threads computing the kernels: the calling thread plus `threads − 1` persistent workers over the same memory
   * (pool/). Default `os.availableParallelism()`; 1 = no pool. Results are bitwise identical whatever the count.
   */
  threads?: number;
  /**
   * Matmuls of fewer multiply-adds than this run on the calling thread alone: a hand-off costs ~15–20 µs (post, futex
   * wake, wait), more than half of a small GEMM saves. Measured by libs/neural-engine/bench/pool-crossover.mjs (2-core
   * dev machine, load ≈ 4, copies included), 2 threads against 1: 32×64×64 (131k) 0.46×, 32×128×128 (524k) 0.93–0.98×,
   * 64×128×128 (1M) 1.2×, 64×256×128 (2M) 1.3×, 64×784×128 (6.4M) 1.6×, 256×784×128 (26M) 1.8×. In context the 1M
   * products lose: W3 training (per step, 64×64×256 forward and two such backward) ran 2,200 samples/s at 2 threads
   * with them split and 2,950–3,000 without (2 runs each; 2,840 on 1 thread); W1 and W2 have none between 1M and 2M.
   * Default 2^21.
   * With no free core (load ≈ 6) nothing pays: 0.8–1.0× from 1M up (work stealing keeps it near 1×). 0 splits every
   * wasm matmul (tests); Infinity never splits.
   */
  gemmSplitThreshold?: number;
  /**
   * Window ops moving fewer floats (in + out) than this run on the calling thread alone. Same script: the copies in
   * and out stay on the calling thread, so splitting gains little: im2col ≈ 1× at every size; maxPool 0.5–0.9× below
   * 200k floats, 1.05× at 216k (8×26×26×32); maxPoolBackward 2.5× and col2im 1.3–1.5× from 216k. Default 200,000.
   */
  windowSplitThreshold?: number;
  /**
   * Row ops on fewer floats than this run on the calling thread alone. Same script: memory-bound, with the copies on
   * the calling thread; below 2^19 floats 0.2–0.7×; at 2^20 (1024×1024) four runs gave 0.4–1.8× op by op, around
   * 1× in the median (addRowVector 0.9–1.3×, sumRows 0.8–1.3×, axpy 0.4–1.0×, scale 0.7–1.8×). That was with the
   * copies; on resident tensors (no copies) W2's row ops (relu and its gradient, bias sums and adds over 0.35–1.4 M
   * floats) pay: W2 training at 2 threads gained 9 % with a threshold of 65,536 and of 262,144 alike (2 runs each, idle
   * machine), while W1 and W3 stayed within noise (4 runs). Default 2^16: W1's Adam update of its 100,352 first-layer
   * weights, split, took 134 µs a step at 2 threads against 208 unsplit (113 on one thread), each thread updating the
   * rows of the gradient it computed.
   */
  rowSplitThreshold?: number;
  /** Milliseconds to wait for a worker's part before declaring it hung and replacing it (default 30 s). */
  workerTimeoutMs?: number;
  /** Microseconds a worker polls for its next op before sleeping (default WORKER_SPIN_MICROS). */
  workerSpinMicros?: number;
  /** Microseconds the caller polls for a worker's part before sleeping on it (default CALLER_SPIN_MICROS). */
  callerSpinMicros?: number;
  /**
   * Whether the calling thread, done with its part, computes the parts no worker has started yet (default true: a
   * worker the OS has not scheduled in time then costs nothing). false makes the workers compute every part they are
   * sent (tests that must see them compute).
   */
  workStealing?: boolean;
  /**
   * Whether a split op gives each thread a share of its range in proportion to that thread's measured speed on the
   * same op at its last calls (default true; see pool/split-balance.ts). false splits evenly.
   */
  balanceSplits?: boolean;
  /**
   * Bytes of lasting tensors (weights, gradients, optimizer state) kept in the memory before new ones go to the JS
   * heap (see resident-memory.ts). Default 256 MiB.
   */
  lastingBudgetBytes?: number;
  /** Fill the step memory with NaN when a step ends, so a tensor kept past its step shows (tests). Default false. */
  poisonSteps?: boolean;
  /**
   * Whether step tensors live in the planned step memory (default true). false puts them on the JS heap like any
   * other, the copy-in/copy-out path: a check that the planned memory changes no result.
   */
  planSteps?: boolean;
}

const DEFAULT_GEMM_THRESHOLD = 0;
const DEFAULT_WINDOW_THRESHOLD = 4096;
const DEFAULT_ROW_THRESHOLD = 1024;
const DEFAULT_GEMM_SPLIT_THRESHOLD = 2 ** 21;
const DEFAULT_WINDOW_SPLIT_THRESHOLD = 200_000;
const DEFAULT_ROW_SPLIT_THRESHOLD = 2 ** 16;
/**
 * Polling before sleeping, while the calling thread gets its CPU (pool/cpu-wait.ts). On the 2-vCPU VMs measured, a
 * futex hand-off is slow: the notify that wakes a sleeping worker blocks the caller ~33 µs, the worker runs ~75 µs
 * later, and its answer costs as much again; a W1 batch 256 product split in two took ~775 µs against ~670 with both
 * sides polling (halves alone ~650). A worker that polls 1 ms after each part is still awake for the next op of a
 * training step; the caller polls up to 1 ms for a worker's part (it was 0.2 ms until session 8: on W1 at batch 256,
 * 3–5 % of the caller's waits outlasted 0.2 ms and then paid a wake-up, 0.5–0.8 % outlast 1 ms; over 4 fresh
 * processes each way its wait per step went from a mean of 161 µs to 134). With one other busy process on the 2 cores,
 * polling without the CPU-wait check made W1 batch 256 at 2 threads 0.70× of one thread (0.95× without polling); with
 * the check, polling turns itself off there.
 */
const WORKER_SPIN_MICROS = 1000;
const CALLER_SPIN_MICROS = 1000;

type SplitKind = 'gemm' | 'window' | 'row';

/** Closes the pool of a backend nobody closed once the backend is garbage: idle workers would otherwise live on. */
const orphanedPools = new FinalizationRegistry<KernelPool>((pool) => void pool.close());
/** The staging region grows in whole 64 KiB steps (16,384 floats), so nearby sizes do not regrow it. */
const STAGING_STEP = 16384;
/** Operands start on 16-byte boundaries (the gemm's v128 loads need it). */
const ALIGN_FLOATS = 4;

const alignFloats = (n: number): number => Math.ceil(n / ALIGN_FLOATS) * ALIGN_FLOATS;

/** Float32 tensors on the JS heap; matmul and the window ops run in WebAssembly SIMD on copies. */
export class WasmBackend extends JsBackend {
  override readonly name = 'wasm-float32';
  private staging: WasmF32 | undefined;
  /** Staged buffers of the current op that unbind copies back into their tensors. */
  private readonly staged: { buffer: WasmF32; tensor: Tensor }[] = [];
  private readonly resident: ResidentMemory;
  private readonly steps: StepMemory;
  /** Nesting depth of `lasting` calls: above 0, new tensors are lasting. */
  private lastingDepth = 0;
  private readonly planSteps: boolean;
  private readonly gemmThreshold: number;
  private readonly windowThreshold: number;
  private readonly rowThreshold: number;
  /** Threads computing the kernels (the calling thread included). */
  readonly threads: number;
  private readonly pool: KernelPool | undefined;
  private readonly recorder: CallRecorder | undefined;
  private readonly splitThreshold: Record<SplitKind, number>;

  private constructor(
    /** The kernels' instance, its memory and arena (one memory per backend). */
    readonly kernels: WasmKernels,
    options: WasmBackendOptions,
  ) {
    super('float32');
    this.resident = new ResidentMemory(kernels.arena, options.lastingBudgetBytes);
    this.steps = new StepMemory(this.resident, options.poisonSteps ?? false);
    this.planSteps = options.planSteps ?? true;
    this.gemmThreshold = checkThreshold('gemmThreshold', options.gemmThreshold ?? DEFAULT_GEMM_THRESHOLD);
    this.windowThreshold = checkThreshold('windowThreshold', options.windowThreshold ?? DEFAULT_WINDOW_THRESHOLD);
    this.rowThreshold = checkThreshold('rowThreshold', options.rowThreshold ?? DEFAULT_ROW_THRESHOLD);
    this.splitThreshold = {
      gemm: checkThreshold('gemmSplitThreshold', options.gemmSplitThreshold ?? DEFAULT_GEMM_SPLIT_THRESHOLD),
      window: checkThreshold('windowSplitThreshold', options.windowSplitThreshold ?? DEFAULT_WINDOW_SPLIT_THRESHOLD),
      row: checkThreshold('rowSplitThreshold', options.rowSplitThreshold ?? DEFAULT_ROW_SPLIT_THRESHOLD),
    };
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`WasmBackend threads = ${threads}: expected a positive integer`);
    this.threads = threads;
    if (threads > 1) {
      this.pool = new KernelPool({
        module: kernels.module,
        memory: kernels.memory,
        callerExports: kernels.exports,
        workers: threads - 1,
        allocateScratch: () => kernels.allocateScratch(),
        workerSpinMicros: checkThreshold('workerSpinMicros', options.workerSpinMicros ?? WORKER_SPIN_MICROS),
        callerSpinMicros: checkThreshold('callerSpinMicros', options.callerSpinMicros ?? CALLER_SPIN_MICROS),
        steal: options.workStealing ?? true,
        balance: options.balanceSplits ?? true,
        ...(options.workerTimeoutMs === undefined ? {} : { timeoutMs: checkThreshold('workerTimeoutMs', options.workerTimeoutMs) }),
      });
      this.recorder = new CallRecorder(kernels);
      orphanedPools.register(this, this.pool, this);
    }
  }

  /**
   * A backend over a new shared memory. Synchronous: Node compiles the module with `new WebAssembly.Module` on any
   * thread (once per thread, cached), so `await WasmBackend.create()` works too but never needs to wait.
   */
  static create(options: WasmBackendOptions = {}): WasmBackend {
    const { initialBytes = 16 * 2 ** 20, maximumBytes = 2 ** 30, ...rest } = options;
    return new WasmBackend(WasmKernels.create({ initialBytes, maximumBytes }), rest);
  }

  /** Starts the pool's workers and resolves when they can take parts (ops never wait for them: see pool/). */
  async ready(): Promise<void> {
    await this.pool?.ready();
  }

  /** Stops the pool's workers (idempotent). Ops after it run on the calling thread alone. */
  close(): Promise<void> {
    if (!this.pool) return Promise.resolve();
    orphanedPools.unregister(this);
    return this.pool.close();
  }

  /** What the pool did so far (undefined with 1 thread). */
  get poolStats(): Readonly<PoolStats> | undefined {
    return this.pool?.stats;
  }

  /** Bytes of the WebAssembly memory (grows with the largest op seen, then stays). */
  get memoryBytes(): number {
    return this.kernels.memory.buffer.byteLength;
  }

  /** Floats of the staging region the copies go through. */
  get stagingFloats(): number {
    return this.staging?.length ?? 0;
  }

  /** What the step memory did: steps that replayed their plan whole, steps that recorded, floats it holds. */
  get stepStats(): { replayed: number; recorded: number; floats: number } {
    return { ...this.steps.stats, floats: this.steps.floats };
  }

  /** Bytes of lasting tensors alive in the memory. */
  get lastingBytes(): number {
    return this.resident.lastingBytes;
  }

  override step<T>(kind: StepKind, batchSize: number, fn: () => T): T {
    return this.planSteps ? this.steps.run(kind, batchSize, fn) : fn();
  }

  override lasting<T>(fn: () => T): T {
    this.lastingDepth++;
    try {
      return fn();
    } finally {
      this.lastingDepth--;
    }
  }

  /** Frees a lasting tensor's memory now; step tensors end with their step, JS-heap ones with the garbage collector. */
  override release(t: Tensor): void {
    this.resident.release(t.data);
  }

  /** Lasting tensors and step tensors are views into the memory; the rest (and what does not fit) the JS heap's. */
  protected override allocate(shape: Shape, zeroed: boolean): Tensor {
    const size = shapeSize(shape);
    let t: Tensor | undefined;
    if (this.lastingDepth > 0) {
      const data = this.resident.allocateLasting(size);
      if (data) t = new JsTensor([...shape], data);
    } else if (this.steps.active) {
      t = this.steps.take(shape, size);
    }
    if (!t) return super.allocate(shape, zeroed);
    if (zeroed) this.fill(t, 0);
    return t;
  }

  /** In the memory by the kernel (a memset for zeros): JS's fill on a shared buffer stores element by element. */
  override fill(t: Tensor, value: number): void {
    const block = this.resident.blockOf(t.data);
    if (!block || t.size === 0) return super.fill(t, value);
    this.kernels.fill(block, value);
  }

  override matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}, out?: Tensor): Tensor {
    const { m, k, n } = matmulDims(a, b, options);
    const work = m * k * n;
    const accumulate = options.accumulate ?? false;
    if (work === 0 || work < this.gemmThreshold) {
      return super.matmul(a, b, options, accumulate ? out : this.output([m, n], out, 'matmul', `the product is [${m}, ${n}]`));
    }
    const c = accumulate ? this.accumulationTarget(m, n, out) : this.result([m, n], out, 'matmul', `the product is [${m}, ${n}]`);
    const [wa, wb, wc] = this.bind(read(a), read(b), accumulate ? update(c) : write(c));
    const form = { transposeA: options.transposeA ?? false, transposeB: options.transposeB ?? false, accumulate };
    this.compute('gemm', work, (kernels) => kernels.gemm(wa, wb, wc, m, k, n, form));
    this.unbind();
    return c;
  }

  override addRowVector(x: Tensor, v: Tensor, out?: Tensor): Tensor {
    const cols = v.size;
    if (this.jsRow(x.size) || cols === 0) return super.addRowVector(x, v, out);
    if (x.size % cols !== 0 || x.shape[x.shape.length - 1] !== cols) {
      throw new RangeError(`cannot add a vector of ${cols} to a tensor of shape ${formatShape(x.shape, false)}`);
    }
    const o = this.result(x.shape, out, 'addRowVector', `the input ${x.size}`);
    const [wx, wo, wv] = this.bindMap(x, o, read(v));
    this.compute('row', x.size, (kernels) => kernels.addRowVector(wx, wv, wo, x.size / cols, cols));
    this.unbind();
    return o;
  }

  override sumRows(x: Tensor, out?: Tensor): Tensor {
    const cols = x.shape[x.shape.length - 1] ?? 1;
    if (this.jsRow(x.size) || cols === 0) return super.sumRows(x, out);
    const o = this.result([cols], out, 'sumRows', `expected ${cols}`);
    const [wx, wo] = this.bind(read(x), write(o));
    this.compute('row', x.size, (kernels) => kernels.sumRows(wx, wo, x.size / cols, cols));
    this.unbind();
    return o;
  }

  override axpyInPlace(target: Tensor, alpha: number, x: Tensor): void {
    if (this.jsRow(target.size)) return super.axpyInPlace(target, alpha, x);
    if (target.size !== x.size) throw new RangeError(`cannot accumulate ${x.size} values into ${target.size}`);
    const [wt, wx] = this.bind(update(target), read(x));
    this.compute('row', target.size, (kernels) => kernels.axpy(wt, alpha, wx));
    this.unbind();
  }

  override add(a: Tensor, b: Tensor, out?: Tensor): Tensor {
    return this.elementwise('add', a, b, out);
  }

  override multiply(a: Tensor, b: Tensor, out?: Tensor): Tensor {
    return this.elementwise('multiply', a, b, out);
  }

  private elementwise(op: ElementwiseOp, a: Tensor, b: Tensor, out: Tensor | undefined): Tensor {
    if (this.jsRow(a.size)) return op === 'add' ? super.add(a, b, out) : super.multiply(a, b, out);
    if (a.size !== b.size) throw new RangeError(`${op} of tensors of different sizes: ${a.size} and ${b.size}`);
    const o = this.result(a.shape, out, op, `the inputs ${a.size}`);
    const [wa, wb, wo] = this.bind(read(a), read(b), write(o));
    this.compute('row', a.size, (kernels) => kernels.elementwise(op, wa, wb, wo));
    this.unbind();
    return o;
  }

  /** The generator runs in WebAssembly (~10× the JS loop's draws); one stream, so on the calling thread. */
  override keepMask(shape: Shape, rate: number, keep: number, rng: Rng): Tensor {
    const size = shapeSize(shape);
    if (this.jsRow(size)) return super.keepMask(shape, rate, keep, rng);
    const mask = this.allocate(shape, false);
    const [wm, ws] = this.bind(write(mask), 4);
    this.kernels.keepMask(rng, wm, size, rate, keep, ws);
    this.unbind();
    return mask;
  }

  /**
   * On the calling thread: a few operations per class, so even a large output (rows × classes) is small work next to
   * the products around it.
   */
  override softmaxCrossentropyBackward(probs: Tensor, labels: Tensor, labelSmoothing: number, rowScale: ArrayLike<number>): Tensor {
    if (this.jsRow(probs.size)) return super.softmaxCrossentropyBackward(probs, labels, labelSmoothing, rowScale);
    const [rows, classes] = softmaxCrossentropyDims(probs, labels, rowScale);
    const out = this.allocate(probs.shape, false);
    const [wp, wl, wo, ws] = this.bind(read(probs), read(labels), write(out), 2 * rows);
    new Float64Array(this.kernels.memory.buffer, ws.ptr, rows).set(rowScale);
    this.kernels.softmaxCrossentropyBackward(wp, wl, ws, wo, rows, classes, labelSmoothing);
    this.unbind();
    return out;
  }

  /** On the calling thread: one pass of bit tests, memory-bound. */
  override allFinite(x: Tensor): boolean {
    if (this.jsRow(x.size)) return super.allFinite(x);
    const [wx] = this.bind(read(x));
    const finite = this.kernels.allFinite(wx, x.size);
    this.unbind();
    return finite;
  }

  override scale(x: Tensor, s: number, out?: Tensor): Tensor {
    if (this.jsRow(x.size)) return super.scale(x, s, out);
    const o = this.result(x.shape, out, 'scale', `the input ${x.size}`);
    const [wx, wo] = this.bindMap(x, o);
    this.compute('row', x.size, (kernels) => kernels.scale(wx, s, wo));
    this.unbind();
    return o;
  }

  /** relu in SIMD (the JS loop is ~3× slower from a few thousand floats); sigmoid and tanh stay JS. */
  override activation(kind: ActivationKernel, x: Tensor, out?: Tensor): Tensor {
    if (kind !== 'relu' || this.jsRow(x.size)) return super.activation(kind, x, out);
    const o = this.result(x.shape, out, kind, `the input ${x.size}`);
    const [wx, wo] = this.bindMap(x, o);
    this.compute('row', x.size, (kernels) => kernels.reluForward(wx, wo));
    this.unbind();
    return o;
  }

  override activationGradient(kind: ActivationKernel, x: Tensor, y: Tensor, dy: Tensor, out?: Tensor): Tensor {
    if (kind !== 'relu' || this.jsRow(dy.size)) return super.activationGradient(kind, x, y, dy, out);
    checkActivationGradient(kind, x, y, dy);
    const o = this.result(dy.shape, out, `${kind} gradient`, `dy ${dy.size}`);
    const [wdy, wo, wx] = this.bindMap(dy, o, read(x));
    this.compute('row', dy.size, (kernels) => kernels.reluBackward(wx, wdy, wo));
    this.unbind();
    return o;
  }

  /**
   * The forward LSTM step with Keras's default activations in SIMD (its sigmoid and tanh are ~1 million `Math.exp` and
   * `Math.tanh` calls a W3 batch in the JS kernel); other activations run the JS kernel. Within ~2 ulp of the JS
   * kernel, not bitwise (see assembly/lstm.ts), so the choice never depends on the size: a sample's result must not
   * depend on the batch it is in.
   */
  override lstmCell(kinds: LstmKinds, z: Tensor, cPrev: Tensor): LstmStepTensors<Tensor> & { h: Tensor } {
    if (!simdCell(kinds) || z.size === 0) return super.lstmCell(kinds, z, cPrev);
    const [rows, units] = lstmDims(z, cPrev);
    const gates = this.allocate(z.shape, false);
    const [c, cellOut, h] = [this.allocate(cPrev.shape, false), this.allocate(cPrev.shape, false), this.allocate(cPrev.shape, false)];
    const [wz, wc0, wg, wc, wo, wh] = this.bind(read(z), read(cPrev), write(gates), write(c), write(cellOut), write(h));
    this.kernels.lstmForwardSigmoidTanh(wz, wc0, wg, wc, wo, wh, rows, units);
    this.unbind();
    return { z, gates, cPrev, c, cellOut, h };
  }

  override lstmCellBackward(kinds: LstmKinds, step: LstmStepTensors<Tensor>, dh: Tensor, dc: Tensor): { dz: Tensor; dcPrev: Tensor } {
    if (!simdCell(kinds) || step.z.size === 0) return super.lstmCellBackward(kinds, step, dh, dc);
    const [rows, units] = checkLstmBackward(step, dh, dc);
    const dz = this.allocate(step.z.shape, false);
    const dcPrev = this.allocate(step.cPrev.shape, false);
    const [wg, wc0, wo, wh, wc, wdz, wdc] = this.bind(read(step.gates), read(step.cPrev), read(step.cellOut), read(dh), read(dc), write(dz), write(dcPrev));
    this.compute('row', dz.size, (kernels) => kernels.lstmBackwardSigmoidTanh(wg, wc0, wo, wh, wc, wdz, wdc, rows, units));
    this.unbind();
    return { dz, dcPrev };
  }

  /**
   * One kernel call for the whole sequence: the per-step ops (and their allocations and calls) are gone, and the pool
   * splits the batch, each thread running its rows through every step.
   */
  override lstmSequence(kinds: LstmKinds, xz: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor, options: LstmSequenceOptions): LstmSequenceResult<Tensor> {
    if (!simdCell(kinds) || xz.size === 0) return super.lstmSequence(kinds, xz, recurrentKernel, h0, c0, options);
    const [batch, steps, units] = lstmSequenceDims(xz, recurrentKernel, h0, c0);
    const [h, c] = [this.clone(h0), this.clone(c0)];
    const sequence = options.returnSequences ? this.allocate([batch, steps, units], false) : null;
    const record = options.record
      ? { steps: this.allocate([batch, steps, RECORD_WIDTH * units], false), hPrev: this.allocate([batch, steps, units], false) }
      : null;
    const dims = { batch, steps, units, goBackwards: options.goBackwards };
    const [wx, wk, wh, wc, wz, ...rest] = this.bind(
      read(xz), read(recurrentKernel), update(h), update(c), batch * 4 * units,
      ...(record ? [write(record.steps), write(record.hPrev)] : []), ...(sequence ? [write(sequence)] : []),
    );
    const wr = record ? { steps: rest[0]!, hPrev: rest[1]! } : null;
    const ws = sequence ? rest[record ? 2 : 0]! : null;
    this.compute('gemm', batch * steps * units * 4 * units, (kernels) => kernels.lstmSequenceSigmoidTanh(wx, wk, wh, wc, ws, wz, wr, dims));
    this.unbind();
    return { sequence, h, c, record };
  }

  /** One kernel call for the whole backward pass, the batch split between threads as in the forward pass. */
  override lstmSequenceBackward(
    kinds: LstmKinds, record: LstmSequenceRecord<Tensor>, recurrentKernel: Tensor, dOut: Tensor, dhLast: Tensor, dcLast: Tensor, options: LstmSequenceOptions,
  ): LstmSequenceGradients<Tensor> {
    if (!simdCell(kinds) || record.steps.size === 0) return super.lstmSequenceBackward(kinds, record, recurrentKernel, dOut, dhLast, dcLast, options);
    const [batch, steps, units] = lstmRecordDims(record, recurrentKernel, dOut, dhLast, dcLast, options.returnSequences);
    const [dh, dc] = [this.clone(dhLast), this.clone(dcLast)];
    const dxz = this.allocate([batch, steps, 4 * units], false);
    const dims = { batch, steps, units, goBackwards: options.goBackwards, returnSequences: options.returnSequences };
    const [wr, wh, wk, wo, wdh, wdc, wd, ww] = this.bind(
      read(record.steps), read(record.hPrev), read(recurrentKernel), read(dOut), update(dh), update(dc), write(dxz), batch * 5 * units,
    );
    this.compute('gemm', 2 * batch * steps * units * 4 * units, (kernels) =>
      kernels.lstmSequenceBackwardSigmoidTanh({ steps: wr, hPrev: wh }, wk, wo, wdh, wdc, wd, ww, dims));
    this.unbind();
    return { dxz, dh, dc };
  }

  /** An optimizer step in one SIMD pass over the parameter and its slots, bitwise equal to the JS loop (kernels/optimizer-updates.ts). */
  override optimizerUpdate<R extends OptimizerRule>(rule: R, value: Tensor, grad: Tensor, slots: Slots<Tensor>, c: UpdateCoefficients<R>): void {
    if (this.jsRow(value.size)) return super.optimizerUpdate(rule, value, grad, slots, c);
    checkOptimizerUpdate(rule, value, grad, slots);
    const [ww, wg, ...ws] = this.bind(update(value), read(grad), ...slots.map((s) => (s ? update(s) : 0)));
    this.compute('row', value.size, (kernels) => kernels.optimizerUpdate(rule, ww, wg, slots.map((s, i) => (s ? ws[i]! : null)), c));
    this.unbind();
  }

  override im2col(x: Tensor, g: WindowGeometry, range?: ChannelRange, out?: Tensor): Tensor {
    const count = range?.count ?? g.channels;
    const colsSize = g.batch * g.outH * g.outW * g.kH * g.kW * count;
    if (this.jsWindow(x.size + colsSize)) return super.im2col(x, g, range, out);
    checkSize('im2col input', x, g.batch * g.inH * g.inW * g.channels);
    const cols = out ?? this.allocate([g.batch * g.outH * g.outW, g.kH * g.kW * count], false);
    checkSize('im2col output', cols, colsSize);
    const [wx, wcols] = this.bind(read(x), write(cols));
    this.compute('window', x.size + colsSize, (kernels) => kernels.im2col(wx, wcols, g, range));
    this.unbind();
    return cols;
  }

  override col2im(cols: Tensor, g: WindowGeometry, dx: Tensor, range?: ChannelRange): void {
    if (this.jsWindow(cols.size + dx.size)) return super.col2im(cols, g, dx, range);
    checkSize('col2im input', cols, g.batch * g.outH * g.outW * g.kH * g.kW * (range?.count ?? g.channels));
    checkSize('col2im output', dx, g.batch * g.inH * g.inW * g.channels);
    // col2im adds into dx: its current values go in too.
    const [wcols, wdx] = this.bind(read(cols), update(dx));
    this.compute('window', cols.size + dx.size, (kernels) => kernels.col2im(wcols, wdx, g, range));
    this.unbind();
  }

  /**
   * im2col and the product in one op: the im2col matrix (for W2's second convolution 9 MB a batch) lives in the
   * staging region only, never in a tensor.
   */
  override conv2d(x: Tensor, kernel: Tensor, g: WindowGeometry): Tensor {
    const { rows, depth, filters } = convDims(x, kernel, g);
    if (rows * depth * filters < this.gemmThreshold) return super.conv2d(x, kernel, g);
    const y = this.allocate([rows, filters], false);
    const [wx, wk, wy, wcols] = this.bind(read(x), read(kernel), write(y), rows * depth);
    this.compute('window', x.size + wcols.length, (kernels) => kernels.im2col(wx, wcols, g));
    this.compute('gemm', rows * depth * filters, (kernels) => kernels.gemm(wcols, wk, wy, rows, depth, filters));
    this.unbind();
    return y;
  }

  /**
   * The backward pass the same way: dL/dkernel by conv2dKernelGradient (im2col recomputed in place of a kept matrix),
   * then dcols = dy·kernelᵀ folded onto dx by col2im.
   */
  override conv2dBackward(x: Tensor, dy: Tensor, kernel: Tensor, g: WindowGeometry, kernelGrad: Tensor | null): Tensor {
    const { rows, depth, filters } = convDims(x, kernel, g);
    if (rows * depth * filters < this.gemmThreshold) return super.conv2dBackward(x, dy, kernel, g, kernelGrad);
    checkSize('conv2dBackward output gradient', dy, rows * filters);
    if (kernelGrad && kernelGrad.size !== kernel.size) {
      throw new RangeError(`conv2dBackward kernel gradient holds ${kernelGrad.size} values; the kernel ${kernel.size}`);
    }
    if (kernelGrad) this.conv2dKernelGradient(x, dy, g, kernelGrad);
    const dx = this.zeros([g.batch, g.inH, g.inW, g.channels]);
    const [wdy, wk, wdx, wdcols] = this.bind(read(dy), read(kernel), update(dx), rows * depth);
    this.compute('gemm', rows * depth * filters, (kernels) => kernels.gemm(wdy, wk, wdcols, rows, filters, depth, { transposeB: true }));
    this.compute('window', wdcols.length + dx.size, (kernels) => kernels.col2im(wdcols, wdx, g));
    this.unbind();
    return dx;
  }

  /**
   * dL/dkernel = im2col(x)ᵀ·dy, added into kernelGrad with the axpy kernel (as the unfused addInPlace does, so both
   * paths give the same bits).
   */
  override conv2dKernelGradient(x: Tensor, dy: Tensor, g: WindowGeometry, kernelGrad: Tensor): void {
    const { rows, depth, filters } = convDims(x, kernelGrad, g, 'conv2dKernelGradient kernel gradient');
    if (rows * depth * filters < this.gemmThreshold) return super.conv2dKernelGradient(x, dy, g, kernelGrad);
    checkSize('conv2dKernelGradient output gradient', dy, rows * filters);
    const [wx, wdy, wgrad, wcols, wdw] = this.bind(read(x), read(dy), update(kernelGrad), rows * depth, kernelGrad.size);
    this.compute('window', x.size + wcols.length, (kernels) => kernels.im2col(wx, wcols, g));
    this.compute('gemm', rows * depth * filters, (kernels) => kernels.gemm(wcols, wdy, wdw, depth, rows, filters, { transposeA: true }));
    this.compute('row', kernelGrad.size, (kernels) => kernels.axpy(wgrad, 1, wdw));
    this.unbind();
  }

  override maxPool(x: Tensor, g: WindowGeometry): { output: Tensor; argmax: Int32Array } {
    const outSize = g.batch * g.outH * g.outW * g.channels;
    if (this.jsWindow(x.size + outSize)) return super.maxPool(x, g);
    checkSize('maxPool input', x, g.batch * g.inH * g.inW * g.channels);
    const output = this.allocate([g.batch, g.outH, g.outW, g.channels], false);
    // The int32 indices live in a float tensor's storage, so they bind like any tensor: planned inside a step, the
    // kernel writing them in place (staged copies move the same bytes).
    const indices = this.allocate([outSize], false);
    const [wx, wy, warg] = this.bind(read(x), write(output), write(indices));
    this.compute('window', x.size + outSize, (kernels) => kernels.maxPool(wx, wy, warg, g));
    this.unbind();
    return { output, argmax: new Int32Array(indices.data.buffer, indices.data.byteOffset, outSize) };
  }

  override maxPoolBackward(dy: Tensor, argmax: Int32Array, g: WindowGeometry): Tensor {
    const inSize = g.batch * g.inH * g.inW * g.channels;
    if (this.jsWindow(dy.size + inSize)) return super.maxPoolBackward(dy, argmax, g);
    checkSize('maxPoolBackward output gradient', dy, g.batch * g.outH * g.outW * g.channels);
    if (argmax.length !== dy.size) throw new RangeError(`maxPoolBackward argmax holds ${argmax.length} indices; the output gradient ${dy.size}`);
    const dx = this.allocate([g.batch, g.inH, g.inW, g.channels], false);
    const indices = new JsTensor([argmax.length], new Float32Array(argmax.buffer, argmax.byteOffset, argmax.length));
    const [wdy, wdx, warg] = this.bind(read(dy), write(dx), read(indices));
    this.compute('window', dy.size + inSize, (kernels) => kernels.maxPoolBackward(wdy, warg, wdx, g));
    this.unbind();
    return dx;
  }

  override avgPool(x: Tensor, g: WindowGeometry): Tensor {
    const outSize = g.batch * g.outH * g.outW * g.channels;
    if (this.jsWindow(x.size + outSize)) return super.avgPool(x, g);
    checkSize('avgPool input', x, g.batch * g.inH * g.inW * g.channels);
    const output = this.allocate([g.batch, g.outH, g.outW, g.channels], false);
    const [wx, wy] = this.bind(read(x), write(output));
    this.compute('window', x.size + outSize, (kernels) => kernels.avgPool(wx, wy, g));
    this.unbind();
    return output;
  }

  override avgPoolBackward(dy: Tensor, g: WindowGeometry): Tensor {
    const inSize = g.batch * g.inH * g.inW * g.channels;
    if (this.jsWindow(dy.size + inSize)) return super.avgPoolBackward(dy, g);
    checkSize('avgPoolBackward output gradient', dy, g.batch * g.outH * g.outW * g.channels);
    const dx = this.allocate([g.batch, g.inH, g.inW, g.channels], false);
    const [wdy, wdx] = this.bind(read(dy), write(dx));
    this.compute('window', dy.size + inSize, (kernels) => kernels.avgPoolBackward(wdy, wdx, g));
    this.unbind();
    return dx;
  }

  /** An op's output that its kernel writes whole: `out` checked as JsBackend.output does, or a new tensor not zeroed. */
  private result(shape: Shape, out: Tensor | undefined, op: string, expected: string): Tensor {
    return out ? this.output(shape, out, op, expected) : this.allocate(shape, false);
  }

  /**
   * Runs one checked kernel call: on this thread alone when there is no pool or the op's `work` is below its split
   * threshold; otherwise recorded (checks included) and split between the pool's threads.
   */
  private compute(kind: SplitKind, work: number, call: (kernels: WasmKernels) => void): void {
    if (!this.pool || !this.recorder || work < this.splitThreshold[kind]) {
      call(this.kernels);
      return;
    }
    const { name, args } = this.recorder.record(call);
    this.pool.run(name, args);
  }

  /** Whether a row op on `floats` values runs the JS loop. */
  private jsRow(floats: number): boolean {
    return floats === 0 || floats < this.rowThreshold;
  }

  /** Whether a window op moving `floats` values runs the JS kernel (too small to pay for the copies, or empty). */
  private jsWindow(floats: number): boolean {
    return floats === 0 || floats < this.windowThreshold;
  }

  /**
   * The buffers an op's kernels work on, one per operand: a resident tensor's own storage; otherwise a buffer in the
   * staging region, filled from the tensor when the op reads it (and copied back by `unbind` when the op writes it);
   * a number is scratch of that many floats. The staging region grows first if the staged operands do not fit, and
   * only grows, so once a model's shapes repeat no op allocates.
   */
  private bind<const Operands extends readonly Operand[]>(...operands: Operands): { [K in keyof Operands]: WasmF32 } {
    const residents = operands.map((operand) => (typeof operand === 'number' ? undefined : this.resident.blockOf(operand.tensor.data)));
    let total = 0;
    operands.forEach((operand, i) => {
      if (typeof operand === 'number') total += alignFloats(operand);
      else if (!residents[i]) total += alignFloats(operand.tensor.size);
    });
    this.ensureStaging(total);
    let ptr = this.staging?.ptr ?? 0;
    const buffers: WasmF32[] = [];
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i]!;
      const resident = residents[i];
      if (resident) {
        buffers.push(resident);
        continue;
      }
      const length = typeof operand === 'number' ? operand : operand.tensor.size;
      const buffer = { ptr, length };
      ptr += alignFloats(length) * 4;
      buffers.push(buffer);
      if (typeof operand === 'number') continue;
      if (operand.use !== 'write') this.view(buffer).set(operand.tensor.data);
      if (operand.use !== 'read') this.staged.push({ buffer, tensor: operand.tensor });
    }
    return buffers as { [K in keyof Operands]: WasmF32 };
  }

  /**
   * bind for an element-wise op from x to o, which may be x itself (in place): one buffer then serves both, so a
   * staged copy is not written back over the result. `rest` are the op's other operands.
   */
  private bindMap<const Rest extends readonly Operand[]>(x: Tensor, o: Tensor, ...rest: Rest): [WasmF32, WasmF32, ...{ [K in keyof Rest]: WasmF32 }] {
    if (o.data === x.data) {
      const [wx, ...others] = this.bind(update(x), ...rest);
      return [wx, wx, ...(others as { [K in keyof Rest]: WasmF32 })];
    }
    const [wx, wo, ...others] = this.bind(read(x), write(o), ...rest);
    return [wx, wo, ...(others as { [K in keyof Rest]: WasmF32 })];
  }

  /** Copies the staged results of the op that called bind back into their tensors. */
  private unbind(): void {
    for (const { buffer, tensor } of this.staged) tensor.data.set(this.view(buffer));
    this.staged.length = 0;
  }

  private ensureStaging(floats: number): void {
    if (floats === 0 || (this.staging && this.staging.length >= floats)) return;
    const arena = this.kernels.arena;
    if (this.staging) arena.release(this.staging);
    this.staging = undefined; // if the alloc below throws, no stale region stays behind
    this.staging = arena.alloc(Math.ceil(floats / STAGING_STEP) * STAGING_STEP);
  }

  /** The floats of a staged buffer (a fresh view: the memory's buffer changes when it grows). */
  private view(buffer: WasmF32): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, buffer.ptr, buffer.length);
  }
}

/** An op's tensor operand and how the op uses it. */
interface TensorOperand {
  readonly tensor: Tensor;
  readonly use: 'read' | 'write' | 'update';
}
/** A tensor operand, or a number: scratch of that many floats. */
type Operand = TensorOperand | number;

const read = (tensor: Tensor): TensorOperand => ({ tensor, use: 'read' });
const write = (tensor: Tensor): TensorOperand => ({ tensor, use: 'write' });
const update = (tensor: Tensor): TensorOperand => ({ tensor, use: 'update' });

/** The activations the WebAssembly LSTM kernels compute (Keras's defaults); other pairs take JsBackend's loops. */
function simdCell(kinds: LstmKinds): boolean {
  return kinds.gate === 'sigmoid' && kinds.cell === 'tanh';
}

function checkSize(what: string, t: Tensor, expected: number): void {
  if (t.size !== expected) throw new RangeError(`${what} ${formatShape(t.shape, false)} holds ${t.size} values; the window geometry needs ${expected}`);
}

/** The convolution as a product: [rows, depth]·[depth, filters], rows = batch·outH·outW, depth = kH·kW·channels. */
function convDims(x: Tensor, kernel: Tensor, g: WindowGeometry, kernelName = 'conv2d kernel'): { rows: number; depth: number; filters: number } {
  checkSize('conv2d input', x, g.batch * g.inH * g.inW * g.channels);
  const depth = g.kH * g.kW * g.channels;
  const filters = kernel.shape[kernel.shape.length - 1] ?? 0;
  if (kernel.shape.length !== 2 || kernel.shape[0] !== depth) {
    throw new RangeError(`${kernelName} ${formatShape(kernel.shape, false)}: expected [${depth}, filters] (kH·kW·channels rows)`);
  }
  return { rows: g.batch * g.outH * g.outW, depth, filters };
}

function checkThreshold(name: string, value: number): number {
  // Infinity is allowed: never (wasm, or split).
  if (Number.isNaN(value) || value < 0) throw new RangeError(`WasmBackend ${name} = ${value}: expected a non-negative number`);
  return value;
}
