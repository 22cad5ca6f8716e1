/**
 * How many terminal rows a line of text takes in a column `columns` wide, as listr2's output bar wraps it (wrap-ansi,
 * hard): whole words to a row while they fit, a word longer than a row cut across rows. East Asian wide and
 * fullwidth characters and most emoji take two columns. An estimate on the safe side (it may count a row too many,
 * never one too few for these rules): used to keep what stays on screen under the terminal's height.
 */
export function screenRows(line: string, columns: number): number {
  const width = Math.max(1, Math.floor(columns));
  let rows = 1;
  let used = 0;
  for (const word of line.split(' ')) {
    const w = textWidth(word);
    if (used > 0 && used + 1 + w <= width) {
      used += 1 + w;
      continue;
    }
    if (used > 0) rows++;
    // A word longer than a row fills whole rows, and the rest starts the last one.
    rows += Math.max(0, Math.ceil(w / width) - 1);
    used = w === 0 ? 0 : w - (Math.ceil(w / width) - 1) * width;
  }
  return rows;
}

// Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK compatibility, vertical and small forms, fullwidth forms,
// CJK extensions B and later, and the emoji blocks: two columns each (East Asian Width W or F).
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

function textWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}
