/**
 * Limits on JSON that comes from outside (CLI flags and files, import lines, WebSocket frames, archives'
 * NDJSON, IPC payloads), in one place. JSON.parse itself copes with deep nesting, but what follows it does
 * not: JSON.stringify, the hash encoding and any recursive walk overflow the stack somewhere past a few
 * thousand levels, as a RangeError far from the input that caused it. So nesting is bounded where the text
 * is read (before it is parsed) and where a value arrives already parsed (the schemas).
 */

/** The deepest an event's data or metadata may nest (`{}` is 1, `{"a":[1]}` is 2). */
export const MAX_JSON_DEPTH = 100;

/** A document that carries data (an import line, a frame, an API call) may wrap it in this many more levels. */
export const JSON_ENVELOPE_DEPTH = 8;

/** The deepest a whole JSON document from outside may nest. */
export const MAX_DOCUMENT_DEPTH = MAX_JSON_DEPTH + JSON_ENVELOPE_DEPTH;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Where `text` first nests deeper than `maxDepth` (the index of the bracket that goes too deep), or -1.
 * One pass over the characters, outside strings; it stops at the first offending bracket, so a document
 * of megabytes of `[` costs no more than reading up to the limit. Malformed JSON is left to JSON.parse.
 */
export function firstTooDeep(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return -1;
}

/** Why a JSON text was refused: its own message, for the caller to prefix with what the text was. */
export class JsonTextError extends Error {
  constructor(
    message: string,
    /** `depth` when it nests too deep, `syntax` when JSON.parse refused it. */
    readonly reason: 'depth' | 'syntax',
  ) {
    super(message);
    this.name = 'JsonTextError';
  }
}

/**
 * JSON.parse with the nesting bounded first. Throws JsonTextError (never a RangeError): the caller names
 * the input (`--data is not valid JSON: …`, `line 12: …`) and picks the code.
 */
export function parseJsonText(text: string, maxDepth: number = MAX_DOCUMENT_DEPTH): unknown {
  const at = firstTooDeep(text, maxDepth);
  if (at >= 0) throw new JsonTextError(`JSON nested deeper than ${maxDepth} levels (at character ${at + 1})`, 'depth');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JsonTextError((error as Error).message, 'syntax');
  }
}

/**
 * Whether a parsed value (or one that arrived as an object, over IPC) nests at most `maxDepth` levels.
 * Iterative, so it cannot itself overflow the stack, and it stops at the first container too deep. A cycle
 * (impossible in JSON, possible in an object built by hand) counts as too deep.
 */
export function withinJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const stack: Array<{ readonly value: object; readonly depth: number }> = [{ value, depth: 1 }];
  let visited = 0;
  while (stack.length > 0) {
    const { value: container, depth } = stack.pop()!;
    if (depth > maxDepth) return false;
    // A cycle, or a structure far larger than any event could be: not JSON we accept.
    if (++visited > 10_000_000) return false;
    const children = Array.isArray(container) ? container : Object.values(container);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push({ value: child as object, depth: depth + 1 });
  }
  return true;
}
