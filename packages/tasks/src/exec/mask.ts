/**
 * Replaces every known secret value with *** in text about to be printed. The executed command is untouched.
 *
 * A short value (under 8 characters) is likely an ordinary word too: masking it in place would show where the word
 * stood in a known message ("1 *** file cannot be used" gives "secret" away). So a line that holds one is withheld
 * whole, with a constant notice that says nothing of the value.
 */
export const MIN_MASKED_IN_PLACE = 8;
export const WITHHELD = '*** (line withheld: it holds the value of a secret shorter than 8 characters; use a longer secret)';

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
      .map((line) => (this.short.some((s) => line.includes(s)) ? WITHHELD : line))
      .join('\n');
  }
}
