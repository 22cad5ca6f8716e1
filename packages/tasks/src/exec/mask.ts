/**
 * Replaces every known secret value with *** in text about to be printed. The executed command is untouched.
 *
 * A short value (under 8 characters) is likely an ordinary word too: masking it in place would show where the word
 * stood in a known message ("1 *** file cannot be used" gives "secret" away). So a line that holds one is withheld
 * whole, with a notice that says nothing of the value: the constant one, or, when the line names variables, one that
 * keeps their names (so the reader still knows which variable to fix). A name is kept only when it lies wholly
 * outside every place a secret occurs in the line, and the notice is used only when no secret occurs in it.
 */
export const MIN_MASKED_IN_PLACE = 8;
export const WITHHELD = '*** (line withheld: it holds the value of a secret shorter than 8 characters; use a longer secret)';

/** The notice for a withheld line that names variables. */
export function withheldNaming(names: readonly string[]): string {
  return `*** (line about ${names.join(', ')} withheld: it holds the value of a secret shorter than 8 characters; use a longer secret)`;
}

/** Words of a line, and the ones that look like variable names (APP_PORT, ENVIRONMENT: a capital, then capitals, digits and _). */
const WORD = /[A-Za-z0-9_]+/g;
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

export class Masker {
  private readonly secrets = new Set<string>();
  /** Longest first: a secret that contains a shorter one must be masked whole, not around the shorter one. */
  private ordered: string[] = [];
  private short: string[] = [];

  add(values: Iterable<string>): void {
    // Values under 4 characters are not secrets anyone can keep (and would withhold nearly every line).
    for (const v of values) if (v.length >= 4) this.secrets.add(v);
    this.ordered = [...this.secrets].filter((s) => s.length >= MIN_MASKED_IN_PLACE).sort((a, b) => b.length - a.length);
    this.short = [...this.secrets].filter((s) => s.length < MIN_MASKED_IN_PLACE);
  }

  mask(text: string): string {
    let out = text;
    for (const s of this.ordered) out = out.split(s).join('***');
    if (this.short.length === 0) return out;
    return out
      .split('\n')
      .map((line) => (this.short.some((s) => line.includes(s)) ? this.withheld(line) : line))
      .join('\n');
  }

  /** The notice for a line that holds a short secret: the variable names it shows outside every secret, if any. */
  private withheld(line: string): string {
    const hidden: [number, number][] = [];
    for (const s of this.short) for (let i = line.indexOf(s); i >= 0; i = line.indexOf(s, i + 1)) hidden.push([i, i + s.length]);
    const names: string[] = [];
    for (const m of line.matchAll(WORD)) {
      const [word] = m;
      const from = m.index;
      const to = from + word.length;
      if (names.includes(word) || !VARIABLE.test(word) || (word.length < 4 && !word.includes('_'))) continue;
      if (hidden.some(([a, b]) => a < to && from < b)) continue;
      names.push(word);
    }
    if (names.length === 0) return WITHHELD;
    const notice = withheldNaming(names);
    // Names side by side could spell a secret that no single one holds: then nothing but the constant notice.
    for (const s of this.secrets) if (notice.includes(s) && !WITHHELD.includes(s)) return WITHHELD;
    return notice;
  }
}
