import type { Shape } from '../../tensor.js';
import { type SampleMap, gatherMap, stridesOf } from './sample-map.js';

/**
 * The gather map shared by zero padding and cropping: output coordinate c along spatial axis k reads input coordinate
 * c - shift[k] (zero when outside the input); the last (channel) axis is copied as is. Padding shifts by +before,
 * cropping by -before.
 */
export function shiftedMap(inShape: Shape, outShape: Shape, shift: readonly number[]): SampleMap {
  const strides = stridesOf(inShape);
  return gatherMap(inShape, outShape, (coords) => {
    let j = 0;
    for (let k = 0; k < coords.length; k++) {
      const i = coords[k]! - (shift[k] ?? 0);
      if (i < 0 || i >= inShape[k]!) return -1;
      j += i * strides[k]!;
    }
    return j;
  });
}

