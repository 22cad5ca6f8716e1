/**
 * The last step before anything reaches the screen, shared by every output strategy: secrets masked first (on the
 * raw text, so a secret is found whatever it contains), then control characters shown as `\xNN` so that text from
 * user files or child processes cannot drive the terminal. JSON masks every string before encoding: masking the
 * encoded text would miss a secret containing `"` or `\`, which JSON.stringify escapes.
 */
import { escapeControl, escapeControlKeepColor } from '../text/escape.ts';

export type Mask = (text: string) => string;

/** Our own messages and anything echoed from user files. */
export function safeText(text: string, mask: Mask): string {
  return escapeControl(mask(text));
}

/** A child's output line: like safeText, but colour sequences survive. */
export function safeOutput(line: string, mask: Mask): string {
  return escapeControlKeepColor(mask(line));
}

/** Masks every string inside a JSON-ready value (keys too). */
export function maskDeep(value: unknown, mask: Mask): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mask(k), maskDeep(v, mask)]));
  }
  return value;
}

/** One JSON event line, masked before encoding (JSON.stringify then escapes control characters itself). */
export function jsonLine(event: Record<string, unknown>, mask: Mask): string {
  return `${JSON.stringify(maskDeep(event, mask))}\n`;
}
