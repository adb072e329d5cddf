import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { nonNegative } from '../config-schemas.js';
import type { LearningRateSchedule, ScheduleConfig } from '../optimizer.js';

export const piecewiseConstantDecaySchema = z.object({
  type: z.literal('PiecewiseConstantDecay'),
  /** Strictly increasing steps where the rate changes. */
  boundaries: z.array(z.number().finite()).min(1),
  /** One more value than boundaries: values[i] applies while step <= boundaries[i]. */
  values: z.array(nonNegative),
  name: z.string().optional(),
}).strict().superRefine((c, ctx) => {
  if (c.values.length !== c.boundaries.length + 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['values'],
      message: `needs one more entry than boundaries (${c.boundaries.length + 1}), has ${c.values.length}`,
      input: c.values,
    });
  }
  for (let i = 1; i < c.boundaries.length; i++) {
    if (!(c.boundaries[i]! > c.boundaries[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['boundaries', i], message: 'boundaries must be strictly increasing', input: c.boundaries[i] });
    }
  }
});
export type PiecewiseConstantDecayConfig = z.input<typeof piecewiseConstantDecaySchema>;

/** values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i], then the last value. */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly name: string;
  private readonly c: z.output<typeof piecewiseConstantDecaySchema>;

  constructor(config: Omit<PiecewiseConstantDecayConfig, 'type'>) {
    this.c = parseConfig(piecewiseConstantDecaySchema, { ...config, type: 'PiecewiseConstantDecay' });
    this.name = this.c.name ?? 'PiecewiseConstant';
  }

  at(step: number): number {
    const { boundaries, values } = this.c;
    for (let i = 0; i < boundaries.length; i++) if (step <= boundaries[i]!) return values[i]!;
    return values[values.length - 1]!;
  }

  getConfig(): ScheduleConfig {
    return { type: 'PiecewiseConstantDecay', boundaries: [...this.c.boundaries], values: [...this.c.values], name: this.name };
  }
}
