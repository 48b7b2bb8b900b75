import { z } from 'zod';

/** The parts of a zod schema's JSON Schema (z.toJSONSchema) that the generated-input helpers read. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
};

/** Values of the wrong shape for one JSON-schema property: wrong type, out of range, not a member. */
function wrongValuesFor(schema: JsonSchema): unknown[] {
  const types = schema.anyOf !== undefined ? schema.anyOf.flatMap((s) => (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type])) : Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const values: unknown[] = [{ nested: 'object' }];
  if (!types.includes('string')) values.push('a string');
  if (!types.includes('number') && !types.includes('integer')) values.push(12345);
  if (!types.includes('boolean')) values.push(true);
  if (!types.includes('array')) values.push(['an', 'array']);
  if (schema.enum !== undefined || schema.const !== undefined) values.push('not-a-member-of-the-enum');
  if (schema.maxLength !== undefined) values.push('x'.repeat(schema.maxLength + 1));
  if (schema.minLength !== undefined && schema.minLength > 0) values.push('');
  if (schema.pattern !== undefined) values.push('does not match the pattern');
  if (schema.type === 'integer') values.push(1.5);
  if (schema.minimum !== undefined) values.push(schema.minimum - 1);
  if (schema.maximum !== undefined && Number.isSafeInteger(schema.maximum + 1)) values.push(schema.maximum + 1);
  if (schema.maxItems !== undefined) values.push(Array.from({ length: schema.maxItems + 1 }, () => 'x'));
  return values;
}

/**
 * Inputs that a contract entry must refuse, generated from its schema (RedisInsight's
 * generateInvalidDataTestCases, for zod): non-objects, an unknown field, each required field missing,
 * and each field given a value of the wrong type or out of range, all around a known valid input.
 * Only candidates the schema itself rejects are returned, so a test asserting INVALID_INPUT for each
 * checks the pipeline, not the generator.
 */
export function invalidInputs(schema: z.ZodType, valid: unknown): Array<{ label: string; input: unknown }> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const candidates: Array<{ label: string; input: unknown }> = [
    { label: 'a number instead of an object', input: 42 },
    { label: 'a string instead of an object', input: 'text' },
    { label: 'an array instead of an object', input: [valid] },
  ];
  const base = (typeof valid === 'object' && valid !== null ? valid : {}) as Record<string, unknown>;
  const objects = json.anyOf ?? [json];
  for (const object of objects) {
    if (object.properties === undefined) continue;
    if (object.additionalProperties === false) candidates.push({ label: 'an unknown field', input: { ...base, unexpectedField: 1 } });
    for (const required of object.required ?? []) {
      const without = { ...base };
      delete without[required];
      candidates.push({ label: `${required} missing`, input: without });
    }
    for (const [name, property] of Object.entries(object.properties)) {
      for (const value of wrongValuesFor(property)) candidates.push({ label: `${name} = ${JSON.stringify(value).slice(0, 40)}`, input: { ...base, [name]: value } });
    }
  }
  return candidates.filter((c) => !schema.safeParse(c.input).success);
}
