/*
 * Decimal number parsing without allocating: most cells of a numeric CSV are short decimals ("0", "13", "5.1",
 * "-0.25"), which are parsed exactly here as mantissa / 10^k (one correctly rounded operation when the mantissa has at
 * most 15 significant digits and |k| ≤ 22). Anything longer falls back to Number(), which is exact and slower.
 * Invalid syntax gives NaN; overflow gives ±Infinity (Number("1e400")). The caller tells them apart for messages.
 */

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses `bytes[start, end)` (ASCII) as a decimal number (`-1.5`, `+2`, `.5`, `1.`, `3e-4`), ignoring spaces and tabs
 * around it. Returns NaN for anything else: empty text, `NaN`, `inf`, hex, thousands separators.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(bytes[start]!)) start++;
  while (end > start && isBlank(bytes[end - 1]!)) end--;
  let i = start;
  let c = bytes[i]!;
  let negative = false;
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) {
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  while (i < end) {
    c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    if (mantissa !== 0) significant++;
    digits++;
    i++;
  }
  if (i < end && bytes[i] === 46) {
    i++;
    while (i < end) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      if (mantissa !== 0) significant++;
      digits++;
      scale++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (i < end && (bytes[i]! | 32) === 101) {
    i++;
    let expNegative = false;
    c = bytes[i]!;
    if (c === 45 || c === 43) {
      expNegative = c === 45;
      i++;
    }
    let expDigits = 0;
    while (i < end) {
      c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + c;
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return NaN;
  const e = exponent - scale;
  // Number() reads the sign itself.
  if (significant > 15 || e < -22 || e > 22) return Number(latin1(bytes, start, end));
  const value = e < 0 ? mantissa / POW10[-e]! : mantissa * POW10[e]!;
  return negative ? -value : value;
}

/** parseDecimalBytes on a string (quoted CSV cells): non-ASCII text is never a number. */
export function parseDecimal(s: string, start = 0, end = s.length): number {
  const bytes = Buffer.from(s.slice(start, end), 'utf8');
  return parseDecimalBytes(bytes, 0, bytes.length);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * Parses `bytes[start, end)` as a JSON number (RFC 8259 grammar: no `+`, no leading zeros, digits on both sides of
 * the point). Returns NaN when the text is not a JSON number.
 */
export function parseJsonNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (bytes[i] === 45) {
    negative = true;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let scale = 0;
  const intStart = i;
  while (i < end) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    if (mantissa !== 0) significant++;
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || (intDigits > 1 && bytes[intStart] === 48)) return NaN;
  if (i < end && bytes[i] === 46) {
    i++;
    const fracStart = i;
    while (i < end) {
      const c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      if (mantissa !== 0) significant++;
      scale++;
      i++;
    }
    if (i === fracStart) return NaN;
  }
  let exponent = 0;
  if (i < end && (bytes[i]! | 32) === 101) {
    i++;
    let expNegative = false;
    if (bytes[i] === 45 || bytes[i] === 43) {
      expNegative = bytes[i] === 45;
      i++;
    }
    const expStart = i;
    while (i < end) {
      const c = bytes[i]! - 48;
      if (c < 0 || c > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + c;
      i++;
    }
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return NaN;
  const e = exponent - scale;
  let value: number;
  if (significant <= 15 && e >= -22 && e <= 22) value = e < 0 ? mantissa / POW10[-e]! : mantissa * POW10[e]!;
  else value = Number(latin1(bytes, negative ? start + 1 : start, end));
  return negative ? -value : value;
}
