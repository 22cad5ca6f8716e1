/**
 * Every name a `$` in the texts may refer to (`$NAME`, `${NAME...}`), found without parsing, with the position of its
 * last reference (texts counted one after the other). A superset: it also counts `$` in comments and single quotes.
 * The loader keeps the values of these names (and of `also`, forever) only until their last reference, so a file of
 * a hundred thousand keys does not cost a hundred thousand kept values.
 */
import { NameTable } from '../text/name-table.ts';
import { work } from '../work.ts';

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

export function referencedNames(texts: readonly string[], also: Iterable<string> = []): NameTable {
  const names = new NameTable();
  for (const name of also) names.add(names.source(name), 0, name.length, Number.POSITIVE_INFINITY);
  let base = 0;
  for (const text of texts) {
    const source = names.source(text);
    work.steps += text.length;
    for (let d = text.indexOf('$'); d >= 0; d = text.indexOf('$', d + 1)) {
      const from = text.charCodeAt(d + 1) === 123 /* { */ ? d + 2 : d + 1;
      NAME.lastIndex = from;
      if (!NAME.test(text)) continue;
      const e = names.add(source, from, NAME.lastIndex, base + d);
      if (!names.added && names.value(e) < base + d) names.setValue(e, base + d);
    }
    base += text.length;
  }
  return names;
}
