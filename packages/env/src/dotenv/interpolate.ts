/**
 * Docker compose's `$` interpolation (compose-go template.go): `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
 * `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+alt}`, `${VAR+alt}`, nesting in the default, and `$$` for a literal `$`.
 * `$(` is left as text: unlike dotenv-expand, nothing is ever executed.
 */
export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

export interface InterpolationResult {
  value: string;
  /** Variables referenced but unset: compose substitutes an empty string and warns. */
  unset: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  const value = expand(input, lookup, unset);
  return { value, unset };
}

function expand(s: string, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = matchingBrace(s, i + 2);
      if (end < 0) throw new InterpolationError(`invalid template "${s}": a "\${" has no closing "}"`);
      out += braced(s.slice(i + 2, end), s, lookup, unset);
      i = end + 1;
    } else {
      const name = NAME.exec(s.slice(i + 1))?.[0];
      if (!name) {
        out += '$';
        i++;
        continue;
      }
      out += resolve(name, lookup, unset) ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

function braced(inner: string, whole: string, lookup: Lookup, unset: string[]): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw new InterpolationError(`invalid template "${whole}": "\${${inner}}" is not a variable name`);
  const rest = inner.slice(name.length);
  if (rest === '') return resolve(name, lookup, unset) ?? '';
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw new InterpolationError(`invalid template "${whole}": unknown operator in "\${${inner}}"`);
  const arg = rest.slice(op.length);
  const raw = lookup(name);
  const isSet = raw !== undefined;
  const nonEmpty = isSet && raw !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? raw : expand(arg, lookup, unset);
    case '-':
      return isSet ? raw : expand(arg, lookup, unset);
    case ':+':
      return nonEmpty ? expand(arg, lookup, unset) : '';
    case '+':
      return isSet ? expand(arg, lookup, unset) : '';
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : isSet) return raw ?? '';
      throw new InterpolationError(`required variable ${name} is missing a value${arg ? `: ${expand(arg, lookup, unset)}` : ''}`);
  }
}

function resolve(name: string, lookup: Lookup, unset: string[]): string | undefined {
  const v = lookup(name);
  if (v === undefined && !unset.includes(name)) unset.push(name);
  return v;
}

/** Index of the `}` closing a `${` whose body starts at `from`, allowing nested `${...}`. */
function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
