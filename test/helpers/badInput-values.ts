import fc from 'fast-check';
import { z } from 'zod';
import type { JsonSchema } from './invalidInputs.js';

/**
 * The input corpus of the bad-input fault test (issue 9): hostile JSON values of any shape, and inputs
 * generated from a contract entry's own schema — mostly valid, with one part wrong — so the handlers behind
 * the validation are reached too, not only the schema's refusals.
 */

/** A string that is hostile to whatever reads it: unicode of every plane, controls, lone surrogates, path tricks. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 4 },
  { arbitrary: fc.constantFrom('', ' ', '\0', '\uD800', '\uDFFF', '\uFFFD', '\u202E', '\n', '..', '../..', '%00', '__proto__', 'constructor', 'toString', 'NaN', '-1', '1e999'), weight: 4 },
  // Huge: past every field's limit, up to 2 MB (the WebSocket's limit on a message is 32 MiB).
  { arbitrary: fc.nat({ max: 2_000_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-1, 0, 1, 0.5, -0, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE),
);

/** Any JSON value, with hostile leaves and keys (`__proto__`, `constructor`, …), a few levels deep. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false),
    hostileNumber,
    hostileString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'path', 'dir', 'input')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** JSON text of arrays or objects nested `depth` levels (built as text: a value that deep cannot be stringified on a small stack). */
export function nestedJsonText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth);
}

export interface SchemaArbitraryOptions {
  /** Strings that name files (maxLength 4096 in the contract): drawn from these, never anywhere else on the machine. */
  readonly paths: fc.Arbitrary<string>;
  /** Upper bounds for numeric fields by name, so a valid input does bounded work (e.g. a demo load of 2,000 events, not 2 million). */
  readonly caps?: Readonly<Record<string, number>>;
}

/** A value of `schema`'s shape: valid most of the time, and one part wrong (another type, out of range, too long) some of the time. */
function arbitraryOf(schema: JsonSchema, options: SchemaArbitraryOptions, name: string): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: validOf(schema, options, name), weight: 6 }, { arbitrary: wrongOf(schema), weight: 1 });
}

function validOf(schema: JsonSchema, options: SchemaArbitraryOptions, name: string): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return fc.oneof(...variants.map((v) => arbitraryOf(v, options, name)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) record[key] = arbitraryOf(property, options, key);
      // fast-check leaves optional fields out some of the time.
      return fc.record(record, { requiredKeys: Object.keys(record).filter((k) => required.has(k)) });
    }
    case 'array':
      return fc.array(schema.items === undefined ? hostileJson : arbitraryOf(schema.items, options, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'string':
      if ((schema.maxLength ?? 0) >= 4096) return options.paths;
      if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    case 'integer':
    case 'number': {
      const cap = options.caps?.[name];
      const min = schema.minimum ?? -(2 ** 31);
      const max = Math.min(schema.maximum ?? 2 ** 31, cap ?? Number.MAX_SAFE_INTEGER);
      return type === 'integer' ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.max(min, max) }) : fc.double({ min, max: Math.max(min, max), noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return hostileJson;
  }
}

/** One wrong value for a field of `schema`: another type, a string one past its length, a number past its range. */
function wrongOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const wrong: Array<fc.Arbitrary<unknown>> = [hostileJson];
  if (schema.maxLength !== undefined) wrong.push(fc.constant('y'.repeat(schema.maxLength + 1)));
  if (schema.maximum !== undefined) wrong.push(fc.constant(schema.maximum + 1));
  if (schema.minimum !== undefined) wrong.push(fc.constant(schema.minimum - 1));
  return fc.oneof(...wrong);
}

/** Inputs for a contract entry generated from its zod schema (as JSON Schema, the form zod exports). */
export function inputsFromSchema(schema: z.ZodType, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return arbitraryOf(json, options, '');
}
