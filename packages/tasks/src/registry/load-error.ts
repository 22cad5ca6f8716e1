/**
 * Why a task file or tasks.config.ts did not load, as `file:line:col: what`, wherever Node leaves a trace of the
 * place: the code frame of a syntax error, the first stack frame in the file, the line that imports a missing
 * module, or (for a plain-JavaScript syntax error, which Node reports without a place) `node --check`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

interface Place {
  file: string;
  line: number;
  col?: number;
}

/** `shown` is how the file is named to the reader (relative to the repo where that reads better). */
export async function describeLoadError(file: string, shown: string, error: unknown): Promise<string> {
  if (!(error instanceof Error)) {
    const line = onlyLine(file, /\bthrow\b/);
    return `${shown}${line ? `:${line}` : ''}: threw ${inspect(error, { breakLength: Number.POSITIVE_INFINITY }).slice(0, 200)} while loading (not an Error, so Node gives no place)`;
  }
  const message = (error.message.split('\n')[0] ?? '').slice(0, 500);
  const place =
    codeFrame(error.stack) ??
    stackFrame(error.stack, file) ??
    missingImport(file, error) ??
    (error.name === 'SyntaxError' ? await checkSyntax(file) : undefined);
  if (!place) return `${shown}: ${message}`;
  const where = `${place.line}${place.col ? `:${place.col}` : ''}`;
  return place.file === file ? `${shown}:${where}: ${message}` : `${place.file}:${where}: ${message} (imported by ${shown})`;
}

/** `file:///x.ts:3\n<the line>\n   ^` at the head of the stack: syntax errors in TypeScript, missing exports. */
function codeFrame(stack: string | undefined): Place | undefined {
  const [head, ...rest] = (stack ?? '').split('\n');
  const m = /^(file:\/\/\S+?|\/\S+?):(\d+)$/.exec(head ?? '');
  if (!m) return undefined;
  // The frame shows a few lines ending with the line at fault, then a line of spaces and carets under the place.
  const col =
    rest
      .slice(0, 8)
      .find((l) => /^\s*\^+\s*$/.test(l))
      ?.indexOf('^') ?? -1;
  return { file: toPath(m[1] as string), line: Number(m[2]), col: col >= 0 ? col + 1 : undefined };
}

/** The first frame in the file itself, else in any file of the repo's own (not node_modules, not Node's). */
function stackFrame(stack: string | undefined, file: string): Place | undefined {
  const frames = [...(stack ?? '').matchAll(/(file:\/\/[^\s)]+):(\d+):(\d+)/g)].map((m) => ({
    file: toPath(m[1] as string),
    line: Number(m[2]),
    col: Number(m[3]),
  }));
  return frames.find((f) => f.file === file) ?? frames.find((f) => !f.file.includes('/node_modules/') && !f.file.includes('/promtior-tasks/src/'));
}

/** `Cannot find module '/x/helper.ts'` or `Cannot find package 'left-pad'`: the line that imports it. */
function missingImport(file: string, error: Error): Place | undefined {
  const name = /Cannot find (?:module|package) '([^']+)'/.exec(error.message)?.[1];
  if (!name) return undefined;
  const wanted = name.startsWith('/') ? (name.split('/').pop() as string) : name;
  const line = onlyLine(file, new RegExp(`['"][^'"]*${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`));
  return line ? { file, line } : undefined;
}

/** Node reports a plain-JavaScript syntax error in a module without its place; its syntax check does not. */
async function checkSyntax(file: string): Promise<Place | undefined> {
  const { probe } = await import('../exec/run-command.ts');
  const r = await probe([process.execPath, '--check', file], { cwd: process.cwd() });
  return codeFrame(r.stderr);
}

/** The line of the only match in the file, if exactly one line matches. */
function onlyLine(file: string, re: RegExp): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const hits = lines.flatMap((l, i) => (re.test(l) ? [i + 1] : []));
  return hits.length === 1 ? hits[0] : undefined;
}

function toPath(urlOrPath: string): string {
  return urlOrPath.startsWith('file://') ? fileURLToPath(urlOrPath) : urlOrPath;
}
