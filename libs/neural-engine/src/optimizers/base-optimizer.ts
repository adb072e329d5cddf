import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { positiveInt } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Shape, Tensor } from '../tensor.js';
import { clipByGlobalNorm, clipByNorm, clipByValue } from './clipping.js';
import { dispatchSchema, nonNegative, positive } from './config-schemas.js';
import type { LearningRateSchedule, Optimizer, OptimizerConfig, OptimizerState, ScheduleConfig } from './optimizer.js';
import { getSchedule, scheduleSchema } from './schedules/index.js';

/** A learning rate: a non-negative number or a schedule config (`{type: "ExponentialDecay", ...}`). */
export const learningRateSchema: z.ZodType<number | ScheduleConfig, number | ScheduleConfig> = dispatchSchema<number | ScheduleConfig>(
  (v) => (typeof v === 'number' ? nonNegative : typeof v === 'object' && v !== null && !Array.isArray(v) ? scheduleSchema : null),
  'a non-negative number or a learning-rate schedule object {type, ...}',
);

/** Arguments every Keras 3 optimizer accepts (BaseOptimizer kwargs), camelCase; null means unset as in Keras. */
export const baseOptimizerShape = {
  learningRate: learningRateSchema.optional(),
  /** Decoupled weight decay: variable -= variable · weightDecay · lr before each update. */
  weightDecay: nonNegative.nullable().optional(),
  /** Clip each variable's gradient to this L2 norm. */
  clipnorm: positive.nullable().optional(),
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue: positive.nullable().optional(),
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm: positive.nullable().optional(),
  /** Keep an exponential moving average of the variables. */
  useEma: z.boolean().optional(),
  emaMomentum: z.number().min(0).max(1).optional(),
  /** Overwrite the variables with their average every this many steps (null: only in finalizeVariableValues). */
  emaOverwriteFrequency: positiveInt.nullable().optional(),
  /** Gradients are divided by this before use (the loss was multiplied by it). */
  lossScaleFactor: positive.nullable().optional(),
  /** Average the gradients of this many calls and update on the last one. */
  gradientAccumulationSteps: z.number().int().min(2).nullable().optional(),
};

type BaseShape = typeof baseOptimizerShape;

/**
 * A strict optimizer config object `{type, ...base args, ...own args}` that, as Keras, rejects setting more than one
 * of clipnorm, clipvalue and globalClipnorm.
 */
export function optimizerObjectSchema<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z
    .object({ type: z.literal(type), ...baseOptimizerShape, ...shape } as { type: z.ZodLiteral<T> } & BaseShape & S)
    .strict()
    .superRefine((c, ctx) => {
      const config = c as Record<string, unknown>;
      const set = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => config[k] !== undefined && config[k] !== null);
      for (const key of set.slice(1)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `only one of clipnorm, clipvalue and globalClipnorm can be set, but ${set.join(' and ')} are`,
          input: config[key],
        });
      }
    });
}

/** Parsed base arguments, as a subclass passes them to BaseOptimizer. */
export interface BaseOptimizerArgs {
  learningRate?: number | ScheduleConfig | LearningRateSchedule | undefined;
  weightDecay?: number | null | undefined;
  clipnorm?: number | null | undefined;
  clipvalue?: number | null | undefined;
  globalClipnorm?: number | null | undefined;
  useEma?: boolean | undefined;
  emaMomentum?: number | undefined;
  emaOverwriteFrequency?: number | null | undefined;
  lossScaleFactor?: number | null | undefined;
  gradientAccumulationSteps?: number | null | undefined;
}

/**
 * The step every optimizer shares (Keras 3 BaseOptimizer.apply): loss-scale division, gradient accumulation,
 * clipping, decoupled weight decay, the optimizer's own per-variable update, variable constraints, EMA and the
 * iteration counter. Subclasses declare their slots (createSlots) and their update (updateStep) only.
 *
 * Counting follows Keras 3: an internal counter advances on every call; with gradientAccumulationSteps = N,
 * `iterations` is that counter divided by N (rounded down), so it counts real updates and drives bias corrections,
 * while learning-rate schedules are evaluated at the raw call count, as Keras documents.
 */
export abstract class BaseOptimizer implements Optimizer {
  /** Canonical Keras name, e.g. `adam`. */
  abstract readonly name: string;
  /** Keras class name, e.g. `Adam`, written as `type` in configs. */
  abstract readonly className: string;

  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;

  private rate: number | LearningRateSchedule;
  /** Calls of applyGradients so far (Keras `_iterations`). */
  private calls = 0;
  private built = false;
  private builtBackend: Backend | null = null;
  private builtVariables: readonly Variable[] = [];
  private readonly indexOf = new Map<Variable, number>();
  private slots: Tensor[][] = [];
  private globalSlots: Tensor[] = [];
  private averages: Tensor[] = [];
  private accumulators: Tensor[] = [];
  /**
   * Per-variable scratch for the processed gradient, so `variable.grad` is never modified; empty when nothing
   * changes gradients before the update (then they are read where backward left them, saving a copy per step).
   */
  private work: Tensor[] = [];
  private readonly excludedNames: string[] = [];
  private readonly excludedVariables = new Set<Variable>();

  protected constructor(args: BaseOptimizerArgs, defaultLearningRate: number) {
    const lr = args.learningRate ?? defaultLearningRate;
    this.rate = typeof lr === 'number' ? lr : getSchedule(lr);
    this.weightDecay = args.weightDecay ?? null;
    this.clipnorm = args.clipnorm ?? null;
    this.clipvalue = args.clipvalue ?? null;
    this.globalClipnorm = args.globalClipnorm ?? null;
    this.useEma = args.useEma ?? false;
    this.emaMomentum = args.emaMomentum ?? 0.99;
    this.emaOverwriteFrequency = args.emaOverwriteFrequency ?? null;
    this.lossScaleFactor = args.lossScaleFactor ?? null;
    this.gradientAccumulationSteps = args.gradientAccumulationSteps ?? null;
  }

  /** Updates applied so far (Keras `optimizer.iterations`): calls / gradientAccumulationSteps, rounded down. */
  get iterations(): number {
    const n = this.gradientAccumulationSteps;
    return n ? Math.floor(this.calls / n) : this.calls;
  }

  /** The learning rate of the next call: the constant, or the schedule at the raw call count. */
  get learningRate(): number {
    return typeof this.rate === 'number' ? this.rate : this.rate.at(this.calls);
  }

  set learningRate(value: number) {
    if (typeof this.rate !== 'number') {
      throw new Error(
        `${this.className} was created with the learning-rate schedule ${this.rate.name}, so its learning rate cannot be set; ` +
          'create the optimizer with a number as learningRate to change it during training',
      );
    }
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`learning rate must be a finite number >= 0, received ${value}`);
    this.rate = value;
  }

  /** The schedule driving the learning rate, or null when it is a constant. */
  get schedule(): LearningRateSchedule | null {
    return typeof this.rate === 'number' ? null : this.rate;
  }

  /** Whether build has run. */
  get isBuilt(): boolean {
    return this.built;
  }

  /**
   * Excludes variables from weight decay, by identity or by a substring of their name (Keras
   * exclude_from_weight_decay); must be called before build.
   */
  excludeFromWeightDecay(options: { variables?: readonly Variable[]; varNames?: readonly string[] }): void {
    if (this.built) throw new Error('excludeFromWeightDecay can only be called before the optimizer is built');
    for (const v of options.variables ?? []) this.excludedVariables.add(v);
    this.excludedNames.push(...(options.varNames ?? []));
  }

  build(variables: readonly Variable[], backend: Backend): void {
    if (this.built) {
      if (sameVariables(variables, this.builtVariables)) return;
      throw new Error(`${this.className} was built for other variables; create a new optimizer for a new set of variables`);
    }
    this.builtVariables = [...variables];
    variables.forEach((v, i) => this.indexOf.set(v, i));
    // Lasting: the first training step builds the optimizer, and its state outlives that step.
    backend.lasting(() => {
      this.slots = variables.map((v) => this.createSlots(v, backend));
      this.globalSlots = this.createGlobalSlots(backend);
      // Keras starts the averages at zero; the first update uses momentum 0 and so overwrites them anyway. Starting
      // from the values instead keeps finalizeVariableValues before any step from zeroing the variables.
      this.averages = this.useEma ? variables.map((v) => backend.clone(v.value)) : [];
      this.accumulators = this.gradientAccumulationSteps ? variables.map((v) => backend.zeros(v.value.shape)) : [];
      this.work = this.changesGradients ? variables.map((v) => backend.zeros(v.value.shape)) : [];
    });
    this.builtBackend = backend;
    this.built = true;
  }

  applyGradients(variables: readonly Variable[], backend: Backend): void {
    if (variables.length === 0) return;
    if (!this.built) this.build(variables, backend);
    const indices = variables.map((v) => {
      const i = this.indexOf.get(v);
      if (i === undefined) throw new Error(`${this.className}: unknown variable ${v.name}; the optimizer was built for other variables`);
      return i;
    });
    const grads = !this.changesGradients ? variables.map((v) => v.grad) : indices.map((i, k) => {
      const work = this.work[i]!;
      work.data.set(variables[k]!.grad.data);
      if (this.lossScaleFactor !== null) backend.scale(work, 1 / this.lossScaleFactor, work);
      return work;
    });

    const n = this.gradientAccumulationSteps;
    if (n) {
      const accumulators = indices.map((i) => this.accumulators[i]!);
      if ((this.calls + 1) % n === 0) {
        // Update call: the average of the N gradients (this one plus the N - 1 accumulated), then reset.
        grads.forEach((g, k) => backend.map2(g, accumulators[k]!, (a, b) => (a + b) / n, g));
        this.update(variables, indices, grads, backend);
        for (const acc of this.accumulators) backend.fill(acc, 0);
      } else {
        grads.forEach((g, k) => backend.addInPlace(accumulators[k]!, g));
      }
    } else {
      this.update(variables, indices, grads, backend);
    }

    if (this.useEma) this.updateAverages(backend);
    // Keras applies constraints after the update and the EMA, on every call (accumulating ones too).
    for (const v of variables) v.constraint?.apply(v.value, backend);
    this.calls++;
  }

  finalizeVariableValues(variables: readonly Variable[], _backend: Backend): void {
    if (!this.useEma || !this.built) return;
    this.overwriteWithAverages(variables);
  }

  /**
   * Slot arrays in a stable order: the constant learning rate (1 value, float64) when it is not a schedule; then,
   * per variable in build order, that variable's slots in the order createSlots returns them; then the optimizer's
   * global slots; then the EMA averages; then the gradient accumulators. `iterations` is the raw call count (it
   * differs from `optimizer.iterations` only with gradient accumulation). The arrays are copies.
   */
  getState(): OptimizerState {
    this.requireBuilt('getState');
    const arrays = this.stateTensors().map((t) => t.data.slice());
    if (typeof this.rate === 'number') arrays.unshift(Float64Array.of(this.rate));
    return { iterations: this.calls, arrays };
  }

  /** Restores a state from getState of an optimizer with the same config built on variables of the same shapes. */
  setState(state: OptimizerState): void {
    this.requireBuilt('setState');
    const tensors = this.stateTensors();
    const arrays = [...state.arrays];
    const expected = tensors.length + (typeof this.rate === 'number' ? 1 : 0);
    if (arrays.length !== expected) {
      throw new Error(`${this.className} state needs ${expected} arrays, received ${arrays.length}; was it saved by the same optimizer config?`);
    }
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new Error(`${this.className} state iterations must be a non-negative integer, received ${state.iterations}`);
    }
    if (typeof this.rate === 'number') {
      const lr = arrays.shift()!;
      if (lr.length !== 1 || !Number.isFinite(lr[0]) || lr[0]! < 0) throw new Error(`${this.className} state: invalid learning rate ${String(lr[0])}`);
      this.rate = lr[0]!;
    }
    tensors.forEach((t, i) => {
      const a = arrays[i]!;
      if (a.length !== t.size) throw new Error(`${this.className} state array ${i} has ${a.length} values, expected ${t.size}`);
    });
    tensors.forEach((t, i) => t.data.set(arrays[i]!));
    this.calls = state.iterations;
  }

  getConfig(): OptimizerConfig {
    const config: { type: string; [arg: string]: unknown } = {
      type: this.className,
      learningRate: typeof this.rate === 'number' ? this.rate : this.rate.getConfig(),
      ...this.argsConfig(),
    };
    const optional = {
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
      lossScaleFactor: this.lossScaleFactor,
      gradientAccumulationSteps: this.gradientAccumulationSteps,
    };
    for (const [key, value] of Object.entries(optional)) if (value !== null && !(key in config)) config[key] = value;
    if (this.useEma) {
      config.useEma = true;
      config.emaMomentum = this.emaMomentum;
      config.emaOverwriteFrequency = this.emaOverwriteFrequency;
    }
    return config;
  }

  /** This optimizer's own arguments with their values (defaults filled in), for getConfig. */
  protected abstract argsConfig(): Record<string, unknown>;

  /** Creates the slots of one variable (moments, accumulators...), in a fixed order. */
  /** The backend the optimizer was built on: its slots live there, and updateStep runs fused updates on it. */
  protected get backend(): Backend {
    if (!this.builtBackend) throw new Error(`${this.className} is not built yet: it learns its backend from build()`);
    return this.builtBackend;
  }

  protected abstract createSlots(variable: Variable, backend: Backend): Tensor[];

  /** Slots shared by all variables (Nadam's momentum-schedule product); none by default. */
  protected createGlobalSlots(_backend: Backend): Tensor[] {
    return [];
  }

  /** Runs once per update, before the per-variable updates (Keras _backend_update_step); nothing by default. */
  protected beforeUpdates(_globalSlots: readonly Tensor[]): void {}

  /**
   * Updates `variable.value` and the slots in place from the processed gradient (Keras update_step). `grad` is the
   * step's scratch copy of the gradient (after loss scaling, accumulation and clipping); it may be overwritten.
   */
  protected abstract updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], learningRate: number, globalSlots: readonly Tensor[]): void;

  /** 1-based number of the update being applied (Keras `iterations + 1`), for bias corrections. */
  protected get localStep(): number {
    return this.iterations + 1;
  }

  /** A tensor of `shape` filled with `value` (slots with a non-zero initial value). */
  protected filled(backend: Backend, shape: Shape, value: number): Tensor {
    const t = backend.zeros(shape);
    if (value !== 0) backend.fill(t, value);
    return t;
  }

  /** Clipping, weight decay, then the per-variable updates (the Keras update path). */
  private update(variables: readonly Variable[], indices: readonly number[], grads: Tensor[], backend: Backend): void {
    if (this.clipnorm !== null) for (const g of grads) clipByNorm(g, this.clipnorm);
    else if (this.globalClipnorm !== null) clipByGlobalNorm(grads, this.globalClipnorm, backend);
    else if (this.clipvalue !== null) for (const g of grads) clipByValue(g, this.clipvalue);

    const lr = this.learningRate;
    if (this.weightDecay !== null) {
      const wd = this.weightDecay;
      for (const v of variables) {
        if (!this.usesWeightDecay(v)) continue;
        const d = v.value.data;
        for (let i = 0; i < d.length; i++) d[i] = d[i]! - d[i]! * wd * lr;
      }
    }
    this.beforeUpdates(this.globalSlots);
    variables.forEach((v, k) => this.updateStep(v, grads[k]!, this.slots[indices[k]!]!, lr, this.globalSlots));
  }

  /** Set by an optimizer whose update step uses the gradient it is given as scratch (Adafactor). */
  protected readonly updateWritesGradients: boolean = false;

  /** Loss scaling, accumulation and clipping (and some update steps) write into the gradients they are given. */
  private get changesGradients(): boolean {
    return this.updateWritesGradients || this.lossScaleFactor !== null || !!this.gradientAccumulationSteps || this.clipnorm !== null || this.globalClipnorm !== null || this.clipvalue !== null;
  }

  /** EMA of every built variable: average = m·average + (1 - m)·value, m = 0 on the first update (Keras). */
  private updateAverages(backend: Backend): void {
    const m = this.iterations === 0 ? 0 : this.emaMomentum;
    this.builtVariables.forEach((v, i) => backend.map2(this.averages[i]!, v.value, (a, x) => m * a + (1 - m) * x, this.averages[i]!));
    const every = this.emaOverwriteFrequency;
    if (every && (this.iterations + 1) % every === 0) this.overwriteWithAverages(this.builtVariables);
  }

  private overwriteWithAverages(variables: readonly Variable[]): void {
    for (const v of variables) {
      const i = this.indexOf.get(v);
      if (i === undefined) throw new Error(`${this.className}: unknown variable ${v.name}; the optimizer was built for other variables`);
      v.value.data.set(this.averages[i]!.data);
    }
  }

  private usesWeightDecay(v: Variable): boolean {
    return !this.excludedVariables.has(v) && !this.excludedNames.some((n) => v.name.includes(n));
  }

  private stateTensors(): Tensor[] {
    return [...this.slots.flat(), ...this.globalSlots, ...this.averages, ...this.accumulators];
  }

  private requireBuilt(what: string): void {
    if (!this.built) throw new Error(`${this.className}.${what} needs the optimizer built: call build(variables, backend) first`);
  }
}

function sameVariables(a: readonly Variable[], b: readonly Variable[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
