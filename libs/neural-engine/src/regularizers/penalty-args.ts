import { z } from 'zod';

/** A penalty factor as Keras validates it (`validate_float_arg`): a finite, non-negative number. */
export const penaltyFactor = z.number().finite().nonnegative();
