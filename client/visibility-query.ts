/** Literals for Temporal visibility queries (the list filter's SQL-like language). */

/** A string literal for a visibility query: backslash and quote escaped. */
export function visibilityString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
