/**
 * Form fields hold what was typed (numbers as text, so a half-typed value is not lost); these turn the
 * text into what a call's input takes. A value that is not a number becomes NaN, which the schema check
 * (api/inputIssues.ts) names beside its field.
 */

/** A number typed in a field: null when left empty, NaN when it is not a number. */
export function numberOrNull(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

/** The text a number field starts with: empty for none. */
export function numberText(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Trimmed text, or undefined when nothing but blanks was typed (an optional field left empty). */
export function textOrUndefined(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}

/** Whether a form's fields differ from what they started as. */
export function formChanged<F extends object>(form: F, initial: F): boolean {
  return JSON.stringify(form) !== JSON.stringify(initial);
}

/** The IANA time zones this browser knows, for a time-zone field's suggestions. */
export function timeZones(): readonly string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}
