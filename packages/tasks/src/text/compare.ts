/**
 * Orders strings by their UTF-16 code units, the same on every machine. String#localeCompare follows the machine's
 * locale (so a list or a dry-run could differ between two machines), and its first call loads ICU's collation
 * data: 6-10 ms of a CLI start (measured, Node 24: `'a'.localeCompare('b')` in a fresh process).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
