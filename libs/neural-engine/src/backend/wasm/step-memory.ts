import { type Shape, type Tensor, shapesEqual } from '../../tensor.js';
import type { StepKind } from '../backend.js';
import { JsTensor } from '../js-backend.js';
import type { WasmF32 } from './float-arena.js';
import type { ResidentMemory } from './resident-memory.js';

/*
 * The memory of steps, planned per kind and batch size (Backend.step). A step creates its tensors in the same order
 * every time its kind and batch size repeat, so the first such step records them — shape, place, tensor object — as
 * that size's plan, and the next ones get the recorded tensors back: no new storage, no new objects, nothing for the
 * garbage collector. Where a step departs from its plan (the first step also builds the optimizer; a branch taken
 * once), the plan is cut there and recorded anew from that point.
 *
 * Storage is a list of chunks taken from the arena and kept for the backend's life; the plan's tensors are bump
 * allocated through them. Plans of different sizes overlap in the same chunks: one step runs at a time and nothing
 * outlives it. What must outlive it is created in Backend.lasting. Tests set `poison`, which fills the chunks with
 * NaN when a step ends, so a tensor kept by mistake shows up as NaN instead of as silently stale numbers.
 */

/** Smallest chunk taken from the arena (4 MiB): small models fit in one. */
const MIN_CHUNK_FLOATS = 2 ** 20;
/** Plans kept; the least recently used goes beyond that (a loop over many batch sizes would otherwise grow them). */
const MAX_PLANS = 12;
/** Tensors start on 16-byte boundaries (v128 loads). */
const ALIGN_FLOATS = 4;

interface Planned {
  readonly tensor: Tensor;
  /** Chunk and float offset just past this tensor: where the next one is placed. */
  readonly chunk: number;
  readonly end: number;
}

export class StepMemory {
  private readonly chunks: WasmF32[] = [];
  /** Plans by `kind:batchSize`. */
  private readonly plans = new Map<string, Planned[]>();
  private plan: Planned[] | undefined;
  /** Index in the plan of the next tensor the step creates. */
  private next = 0;
  private depth = 0;
  /** Steps whose tensors were all taken from their plan, and steps that recorded some (tests, diagnostics). */
  readonly stats = { replayed: 0, recorded: 0 };
  private recordedThisStep = false;

  constructor(
    private readonly memory: ResidentMemory,
    private readonly poison: boolean = false,
  ) {}

  /** Whether a step is running. */
  get active(): boolean {
    return this.depth > 0;
  }

  /** Floats taken from the arena for steps (the high-water mark of every plan). */
  get floats(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  run<T>(kind: StepKind, batchSize: number, fn: () => T): T {
    if (this.depth > 0) return fn();
    const key = `${kind}:${batchSize}`;
    let plan = this.plans.get(key);
    if (plan) this.plans.delete(key); // re-inserted below: the map's order is least recently used first
    else plan = [];
    this.plans.set(key, plan);
    if (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.plan = plan;
    this.next = 0;
    this.recordedThisStep = false;
    this.depth = 1;
    try {
      return fn();
    } finally {
      this.depth = 0;
      this.plan = undefined;
      if (this.recordedThisStep) this.stats.recorded++;
      else this.stats.replayed++;
      if (this.poison) for (const chunk of this.chunks) this.memory.view(chunk.ptr, chunk.length).fill(Number.NaN);
    }
  }

  /** The step's next tensor of `shape` (contents unspecified), or undefined when the memory cannot hold it. */
  take(shape: Shape, size: number): Tensor | undefined {
    const plan = this.plan!;
    const planned = plan[this.next];
    if (planned && shapesEqual(planned.tensor.shape, shape)) {
      this.next++;
      return planned.tensor;
    }
    // Off the plan: everything from here is recorded anew.
    plan.length = this.next;
    this.recordedThisStep = true;
    const previous = plan[this.next - 1];
    const place = this.place(previous?.chunk ?? 0, previous?.end ?? 0, size);
    if (!place) return undefined;
    const tensor = new JsTensor([...shape], this.memory.view(this.chunks[place.chunk]!.ptr + place.offset * 4, size));
    plan.push({ tensor, chunk: place.chunk, end: place.offset + alignFloats(size) });
    this.next++;
    return tensor;
  }

  /** Where `size` floats go after (chunk, offset): there if they fit, else at the start of a later chunk. */
  private place(chunk: number, offset: number, size: number): { chunk: number; offset: number } | undefined {
    const floats = alignFloats(size);
    for (let c = chunk; ; c++, offset = 0) {
      if (c === this.chunks.length && !this.addChunk(floats)) return undefined;
      if (offset + floats <= this.chunks[c]!.length) return { chunk: c, offset };
    }
  }

  private addChunk(floats: number): boolean {
    const length = Math.max(MIN_CHUNK_FLOATS, alignFloats(floats), this.floats);
    try {
      this.chunks.push(this.memory.arena.alloc(length));
      return true;
    } catch (error) {
      if (error instanceof RangeError) return false; // out of memory: the caller falls back to the JS heap
      throw error;
    }
  }
}

const alignFloats = (n: number): number => Math.max(ALIGN_FLOATS, Math.ceil(n / ALIGN_FLOATS) * ALIGN_FLOATS);
