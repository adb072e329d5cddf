/*
 * Keras writes arguments in snake_case (`kernel_initializer`), Kiln and TensorFlow.js in camelCase
 * (`kernelInitializer`). Most arguments differ only by this spelling, so the generic conversion below maps them and
 * only true renames need a table entry (see layer-arguments.ts).
 */

/** `kernel_initializer` → `kernelInitializer`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `kernelInitializer` → `kernel_initializer`. */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `LeakyReLU` → `leaky_re_lu`, `Conv2D` → `conv2d`: the rule Keras uses for default layer names. */
export function classToLayerName(className: string): string {
  // Keras's to_snake_case: split before a capitalized word, then between a lower-case letter and a capital.
  return className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Whether a value is a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
