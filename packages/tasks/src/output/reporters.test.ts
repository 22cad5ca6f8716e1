import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Masker, WITHHELD } from '../exec/mask.ts';
import { jsonReporter } from './json.ts';
import { plainReporter } from './plain.ts';
import type { Reporter } from './reporter.ts';
import { jsonLine } from './safe.ts';

/** Control characters other than newline and tab. */
const controls = (text: string) => [...text].filter((c) => (c.charCodeAt(0) < 32 && c !== '\n' && c !== '\t') || c.charCodeAt(0) === 127);

const SECRET = 'pa"ss\\word-with"quotes\\';

function capture(make: (write: (t: string) => void, mask: (t: string) => string) => Reporter, secrets: string[] = [SECRET]) {
  const masker = new Masker();
  masker.add(secrets);
  let text = '';
  const reporter = make(
    (t) => {
      text += t;
    },
    (t) => masker.mask(t),
  );
  return { reporter, text: () => text };
}

async function say(reporter: Reporter, what: string): Promise<void> {
  await reporter.task({ id: 'demo', task: 'demo' }, async (sink) => {
    sink.command(`echo ${what}`);
    sink.output('stdout', what);
    sink.log(what);
  });
  reporter.info(what);
  reporter.summary([], 0);
}

describe('json output', () => {
  it('masks a secret containing " and \\ before encoding, so no encoded form of it leaks', async () => {
    const { reporter, text } = capture(jsonReporter);
    await say(reporter, `value=${SECRET}`);
    const out = text();
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(JSON.stringify(SECRET).slice(1, -1));
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(out).toContain('value=***');
  });

  it('every line is one JSON object, with control characters encoded', async () => {
    const { reporter, text } = capture(jsonReporter);
    await say(reporter, 'title\u001b]0;pwned\u0007 and a\nnewline');
    const lines = text().trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['task-start', 'command', 'output', 'log', 'task-end', 'info', 'summary']);
    for (const line of lines) expect(controls(line)).toEqual([]);
  });

  it('withholds a line with a short secret whole, even when the notice shares its letters', () => {
    const masker = new Masker();
    masker.add(['valu']);
    expect(JSON.parse(jsonLine({ event: 'log', text: 'valu' }, (t) => masker.mask(t)))).toEqual({ event: 'log', text: WITHHELD });
  });

  it('never prints a secret, whatever the secret and the text around it (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 20 }), fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (secret, before, after) => {
        const masker = new Masker();
        masker.add([secret]);
        const line = jsonLine({ event: 'log', text: `${before}${secret}${after}` }, (t) => masker.mask(t));
        const decoded = JSON.parse(line) as { text: string };
        // A line with a short secret is withheld whole; the notice's own words may hold the secret's letters (fast-check
        // found "valu", seed -1495065606), which shows nothing of the line.
        const shown = decoded.text === WITHHELD ? '***' : decoded.text;
        // A secret can still appear by coincidence only if the masked text rebuilds it from *** and its neighbours.
        if (!`${before}***${after}`.includes(secret)) expect(shown).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });
});

describe('plain output', () => {
  it('shows control characters from user text as \\xNN and masks secrets', async () => {
    const { reporter, text } = capture((w, m) => plainReporter(w, m, { verbose: false, github: false }));
    await say(reporter, `\u001b]0;pwned\u0007 ${SECRET}`);
    const out = text();
    expect(controls(out)).toEqual([]);
    expect(out).toContain('\\x1b]0;pwned\\x07');
    expect(out).not.toContain(SECRET);
  });

  it('keeps colours in a child’s output but nothing else', async () => {
    const { reporter, text } = capture((w, m) => plainReporter(w, m, { verbose: false, github: false }));
    await reporter.task({ id: 'demo', task: 'demo' }, async (sink) => {
      sink.output('stdout', '\u001b[32mgreen\u001b[0m \u001b[2Jclear');
    });
    expect(text()).toContain('\u001b[32mgreen\u001b[0m \\x1b[2Jclear');
  });
});
