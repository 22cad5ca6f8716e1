/** Replaces every known secret value with *** in text about to be printed. The executed command is untouched. */
export class Masker {
  private readonly secrets = new Set<string>();
  /** Longest first: a secret that contains a shorter one must be masked whole, not around the shorter one. */
  private ordered: string[] = [];

  add(values: Iterable<string>): void {
    // Very short values would mask ordinary words; validation already demands long secrets.
    for (const v of values) if (v.length >= 4) this.secrets.add(v);
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const s of this.ordered) out = out.split(s).join('***');
    return out;
  }
}
