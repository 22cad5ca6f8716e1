/**
 * Checks compose files before compose sees them, so a broken file gets one clear paragraph with file:line:col and
 * the fix instead of a Python traceback (v1) or a Go error (v2). Only reads the files.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ErrorCode, TaskError } from '../errors.ts';

export interface ComposeProblem {
  file: string;
  line?: number;
  col?: number;
  message: string;
}

export function checkComposeFile(file: string): ComposeProblem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [{ file, message: 'the file does not exist or cannot be read' }];
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const problems: ComposeProblem[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0].line,
    col: e.linePos?.[0].col,
    message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
  }));
  if (problems.length > 0) return problems;
  const data = doc.toJS() as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return [{ file, line: 1, message: 'the file is not a mapping of top-level keys (services:, volumes:, ...)' }];
  const services = (data as Record<string, unknown>).services;
  if (services !== undefined && (typeof services !== 'object' || services === null || Array.isArray(services))) {
    const node = doc.get('services', true) as { range?: [number] } | undefined;
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return [{ file, line: pos?.line, col: pos?.col, message: '"services" must be a mapping of service names to their settings' }];
  }
  return [];
}

/** Throws one error listing every problem of every file. */
export function assertComposeFiles(files: readonly string[]): void {
  const problems = files.flatMap(checkComposeFile);
  if (problems.length === 0) return;
  throw new TaskError(
    ErrorCode.badComposeFile,
    `${new Set(problems.map((p) => p.file)).size === 1 ? 'a compose file is' : 'compose files are'} broken: ${problems.map((p) => `${p.file}${p.line ? `:${p.line}${p.col ? `:${p.col}` : ''}` : ''}: ${p.message}`).join('; ')}. Fix the file (indentation and ':' after each key are the usual suspects); nothing was started.`,
  );
}
