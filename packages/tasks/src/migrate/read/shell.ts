/**
 * Just enough of the POSIX shell to read a Dockerfile's RUN, CMD and ENTRYPOINT and a Makefile's recipes: words
 * with their quotes removed, and where one command ends and the next begins. Anything this does not understand is
 * reported as such (an operator, an unterminated quote), never guessed.
 */

export type Words = { ok: true; words: string[] } | { ok: false; why: string };

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '>', '<', '`', '$(', '\n', '(', ')'];

/** The words of one simple command; anything else (a list, a pipe, a redirection, a substitution) is not one. */
export function shellWords(text: string): Words {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, why: 'an unterminated single quote' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j] as string;
        if (d === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) {
          if (text[j + 1] !== '\n') word += text[j + 1];
          j++;
        } else if (d === '`' || (d === '$' && text[j + 1] === '(')) return { ok: false, why: 'a command substitution' };
        else word += d;
      }
      if (j >= text.length) return { ok: false, why: 'an unterminated double quote' };
      inWord = true;
      i = j;
    } else if (c === '\\') {
      i++;
      if (text[i] === '\n') continue;
      word += text[i] ?? '';
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) return { ok: false, why: op === '\n' ? 'several lines' : `the operator ${JSON.stringify(op)}` };
      if (c === '#' && !inWord) break;
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

/**
 * A command list split into its simple commands at `&&`, `||`, `;` and newlines outside quotes (a RUN line's
 * steps). Pipes stay inside their command.
 */
export function splitCommands(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"') current += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
      current += ' ';
      continue;
    }
    const sep = ['&&', '||', ';', '\n'].find((s) => text.startsWith(s, i));
    if (sep) {
      out.push(current);
      current = '';
      i += sep.length - 1;
      continue;
    }
    current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('#'));
}

/** argv as one shell command line (quoted only where needed), the inverse of shellWords for simple words. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command's words without leading `VAR=value` assignments (`DEBIAN_FRONTEND=noninteractive apt-get ...`). */
export function withoutAssignments(words: readonly string[]): string[] {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string)) i++;
  return words.slice(i);
}
