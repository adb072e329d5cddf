import { DatasetError } from '../core/dataset-error.js';
import { parseJsonNumber } from '../core/parse-number.js';

/** What the tokenizer reports, in document order. Grammar (commas, colons, nesting) is already checked. */
export interface JsonEvents {
  beginObject(): void;
  endObject(): void;
  beginArray(): void;
  endArray(): void;
  key(name: string): void;
  /** A number token; ±Infinity when it overflows a double (1e400). */
  number(value: number): void;
  string(value: string): void;
  literal(value: boolean | null): void;
}

/** Strings are keys and class names; anything longer is not a dataset we accept, and must not be buffered. */
export const MAX_JSON_STRING_BYTES = 64 * 1024;

// What the grammar expects next.
const VALUE = 0; // a value (the root, after ':' or after ',' in an array)
const VALUE_OR_CLOSE = 1; // after '['
const KEY_OR_CLOSE = 2; // after '{'
const KEY = 3; // after ',' in an object
const COLON = 4;
const AFTER_VALUE = 5; // ',' or the container's closing bracket
const DONE = 6; // after the root value: whitespace only

// A token split across pieces.
const NONE = 0;
const STRING = 1;
const NUMBER = 2;
const WORD = 3;

const OBJECT = 1;
const ARRAY = 2;

function isWhitespace(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9;
}

function isNumberByte(b: number): boolean {
  return (b >= 48 && b <= 57) || b === 45 || b === 43 || b === 46 || b === 101 || b === 69;
}

function isLetter(b: number): boolean {
  return (b >= 97 && b <= 122) || (b >= 65 && b <= 90);
}

const decoder = new TextDecoder('utf-8');

function describeByte(b: number): string {
  return b >= 32 && b < 127 ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * An incremental JSON tokenizer over bytes: feed pieces of any size with write(), then end(). It never holds more than
 * the current token (a number, a word, a string of at most MAX_JSON_STRING_BYTES), so memory does not grow with the
 * document. Syntax errors are DatasetError MALFORMED_JSON with the byte offset and, through `where`, the JSON path.
 */
export class JsonTokenizer {
  private state = VALUE;
  private readonly stack: number[] = [];
  private base = 0; // byte offset of the current piece
  private token = NONE;
  private tokenStart = 0; // byte offset where the pending token started
  private parts: Uint8Array[] = []; // bytes of a pending token from earlier pieces
  private partBytes = 0;
  private escaped = false;
  // The last number token, bytes[lastStart, lastEnd): valid only during the number() event.
  private lastNumber: Uint8Array | null = null;
  private lastStart = 0;
  private lastEnd = 0;

  constructor(private readonly events: JsonEvents, private readonly where: () => string) {}

  /** The text of the last number token, for messages about its value. */
  numberText(): string {
    const bytes = this.lastNumber;
    return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset + this.lastStart, this.lastEnd - this.lastStart).toString('latin1') : '';
  }

  write(bytes: Uint8Array): void {
    let i = 0;
    if (this.token !== NONE) i = this.continueToken(bytes);
    const n = bytes.length;
    while (i < n) {
      const b = bytes[i]!;
      if (isWhitespace(b)) {
        i++;
        continue;
      }
      const state = this.state;
      if (state === AFTER_VALUE) {
        const top = this.stack[this.stack.length - 1];
        if (b === 44) this.state = top === OBJECT ? KEY : VALUE;
        else if (b === 93 && top === ARRAY) this.close(ARRAY);
        else if (b === 125 && top === OBJECT) this.close(OBJECT);
        else throw this.syntax(i, `expected ',' or '${top === OBJECT ? '}' : ']'}', received ${describeByte(b)}`);
        i++;
      } else if (state === VALUE || state === VALUE_OR_CLOSE) {
        if (b === 93 && state === VALUE_OR_CLOSE) {
          this.close(ARRAY);
          i++;
        } else {
          i = this.value(bytes, i);
        }
      } else if (state === KEY_OR_CLOSE || state === KEY) {
        if (b === 125 && state === KEY_OR_CLOSE) this.close(OBJECT);
        else if (b === 34) {
          i = this.startToken(bytes, i, STRING);
          continue;
        } else throw this.syntax(i, `expected a property name in double quotes${state === KEY_OR_CLOSE ? " or '}'" : ''}, received ${describeByte(b)}`);
        i++;
      } else if (state === COLON) {
        if (b !== 58) throw this.syntax(i, `expected ':' after the property name, received ${describeByte(b)}`);
        this.state = VALUE;
        i++;
      } else {
        throw this.syntax(i, `unexpected ${describeByte(b)} after the end of the document`);
      }
    }
    this.base += n;
  }

  /** Checks that the document is complete. */
  end(): void {
    if (this.token !== NONE) {
      if (this.token === STRING) throw this.syntax(0, 'the document ends inside a string', this.tokenStart);
      this.finishToken(new Uint8Array(0));
    }
    if (this.state !== DONE) {
      throw this.syntax(0, this.base === 0 ? 'the body is empty; expected {"x": [...], "y": [...]}' : 'the document ends early: an object or array is not closed', this.base);
    }
  }

  private value(bytes: Uint8Array, i: number): number {
    const b = bytes[i]!;
    if (b === 123) {
      this.stack.push(OBJECT);
      this.state = KEY_OR_CLOSE;
      this.events.beginObject();
      return i + 1;
    }
    if (b === 91) {
      this.stack.push(ARRAY);
      this.state = VALUE_OR_CLOSE;
      this.events.beginArray();
      return i + 1;
    }
    if (b === 34) return this.startToken(bytes, i, STRING);
    if (b === 45 || (b >= 48 && b <= 57)) {
      // The common case, a number that ends within this piece: parsed in place, without copying its bytes.
      let j = i + 1;
      while (j < bytes.length && isNumberByte(bytes[j]!)) j++;
      if (j === bytes.length) return this.startToken(bytes, i, NUMBER);
      this.tokenStart = this.base + i;
      this.numberAt(bytes, i, j);
      return j;
    }
    if (isLetter(b)) return this.startToken(bytes, i, WORD);
    throw this.syntax(i, `expected a value, received ${describeByte(b)}`);
  }

  private close(kind: number): void {
    this.stack.pop();
    if (kind === ARRAY) this.events.endArray();
    else this.events.endObject();
    this.afterValue();
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? DONE : AFTER_VALUE;
  }

  private startToken(bytes: Uint8Array, i: number, kind: number): number {
    this.token = kind;
    this.tokenStart = this.base + i;
    this.escaped = false;
    return this.scanToken(bytes, i, kind === STRING ? i + 1 : i);
  }

  private continueToken(bytes: Uint8Array): number {
    return this.scanToken(bytes, 0, 0);
  }

  /** Scans the pending token from `from`; the token's bytes in this piece start at `start`. Returns where to go on. */
  private scanToken(bytes: Uint8Array, start: number, from: number): number {
    const n = bytes.length;
    let i = from;
    if (this.token === STRING) {
      let escaped = this.escaped;
      for (; i < n; i++) {
        const b = bytes[i]!;
        if (escaped) escaped = false;
        else if (b === 92) escaped = true;
        else if (b === 34) break;
      }
      this.escaped = escaped;
      if (i === n) return this.keepPart(bytes, start, n);
      this.finishToken(bytes.subarray(start, i + 1));
      return i + 1;
    }
    const inToken = this.token === NUMBER ? isNumberByte : isLetter;
    while (i < n && inToken(bytes[i]!)) i++;
    if (i === n) return this.keepPart(bytes, start, n);
    this.finishToken(bytes.subarray(start, i));
    return i;
  }

  private keepPart(bytes: Uint8Array, start: number, n: number): number {
    // Copy: the source may reuse its buffer for the next piece.
    this.parts.push(bytes.slice(start, n));
    this.partBytes += n - start;
    if (this.partBytes > MAX_JSON_STRING_BYTES) {
      throw this.syntax(0, `a token longer than ${MAX_JSON_STRING_BYTES / 1024} KiB; keys and class names must be short strings`, this.tokenStart);
    }
    return n;
  }

  private finishToken(tail: Uint8Array): void {
    let bytes = tail;
    if (this.parts.length > 0) {
      bytes = Buffer.concat([...this.parts, tail]);
      this.parts = [];
      this.partBytes = 0;
    }
    const kind = this.token;
    this.token = NONE;
    if (bytes.length > MAX_JSON_STRING_BYTES) {
      throw this.syntax(0, `a token longer than ${MAX_JSON_STRING_BYTES / 1024} KiB; keys and class names must be short strings`, this.tokenStart);
    }
    if (kind === NUMBER) this.finishNumber(bytes);
    else if (kind === WORD) this.finishWord(bytes);
    else this.finishString(bytes);
  }

  private finishNumber(bytes: Uint8Array): void {
    this.numberAt(bytes, 0, bytes.length);
  }

  private numberAt(bytes: Uint8Array, start: number, end: number): void {
    const value = parseJsonNumber(bytes, start, end);
    this.lastNumber = bytes;
    this.lastStart = start;
    this.lastEnd = end;
    if (Number.isNaN(value)) throw this.syntax(0, `invalid number ${JSON.stringify(this.numberText())}`, this.tokenStart);
    this.events.number(value);
    this.state = this.stack.length === 0 ? DONE : AFTER_VALUE;
  }

  private finishWord(bytes: Uint8Array): void {
    const word = Buffer.from(bytes).toString('latin1');
    if (word === 'true' || word === 'false' || word === 'null') {
      this.events.literal(word === 'null' ? null : word === 'true');
      this.afterValue();
      return;
    }
    if (word === 'NaN' || word === 'Infinity') {
      throw this.syntax(0, `expected a finite number, received ${word} (not a finite number, and not valid JSON either)`, this.tokenStart);
    }
    throw this.syntax(0, `unexpected word ${JSON.stringify(word.slice(0, 20))}; expected a value`, this.tokenStart);
  }

  private finishString(bytes: Uint8Array): void {
    let text: string;
    try {
      text = JSON.parse(decoder.decode(bytes)) as string;
    } catch {
      throw this.syntax(0, 'invalid string (a bad escape or a raw control character)', this.tokenStart);
    }
    if (this.state === KEY || this.state === KEY_OR_CLOSE) {
      this.events.key(text);
      this.state = COLON;
    } else {
      this.events.string(text);
      this.afterValue();
    }
  }

  private syntax(i: number, what: string, absolute?: number): DatasetError {
    const offset = absolute ?? this.base + i;
    const path = this.where();
    return new DatasetError('MALFORMED_JSON', `invalid JSON at byte ${offset}${path ? ` (in ${path})` : ''}: ${what}`, {
      details: { offset, ...(path ? { path } : {}) },
    });
  }
}
