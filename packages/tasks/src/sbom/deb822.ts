/**
 * Debian control syntax (deb822), as /var/lib/dpkg/status and /etc/os-release's cousins use it: paragraphs of
 * `Field: value` lines separated by blank lines, continuation lines starting with a space or a tab.
 */
import { ErrorCode, TaskError } from '../errors.ts';

export interface Paragraph {
  /** Field names as written (dpkg's are case-insensitive; look them up with `field`). */
  fields: Map<string, string>;
  /** 1-based line of the paragraph's first field. */
  line: number;
}

/** Every paragraph of `text`; a line that is neither a field nor a continuation is an error naming file:line. */
export function parseDeb822(text: string, file: string): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | undefined;
  let last: string | undefined;
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      current = undefined;
      last = undefined;
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current || last === undefined) throw malformed(file, i + 1, 'a continuation line outside a field');
      current.fields.set(last, `${current.fields.get(last)}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) throw malformed(file, i + 1, 'not a "Field: value" line');
    if (!current) {
      current = { fields: new Map(), line: i + 1 };
      out.push(current);
    }
    last = line.slice(0, colon);
    if ([...current.fields.keys()].some((k) => k.toLowerCase() === last?.toLowerCase())) throw malformed(file, i + 1, `field ${last} twice in one paragraph`);
    current.fields.set(last, line.slice(colon + 1).trim());
  }
  return out;
}

/** A field's value, case-insensitively, or undefined. */
export function field(p: Paragraph, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of p.fields) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function malformed(file: string, line: number, what: string): TaskError {
  return new TaskError(
    ErrorCode.checkFailed,
    `${file}:${line}: ${what}, so it is not a Debian control file. Fix: take the file from the image as it is (docker cp), or rebuild the image if it was damaged.`,
  );
}
