/**
 * Checks compose files before compose sees them, so a broken file gets one clear paragraph with file:line:col and
 * the fix instead of a Python traceback (v1) or a Go error (v2). Only reads the files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readYaml } from '@promtior/audit/yaml';
import { ErrorCode, TaskError } from '../errors.ts';

export interface ComposeProblem {
  file: string;
  line?: number;
  col?: number;
  message: string;
}

/** `file` is the name problems are reported under; `readFrom` where it is (relative to the project folder, say). */
export function checkComposeFile(file: string, readFrom = file): ComposeProblem[] {
  let text: string;
  try {
    text = readFileSync(readFrom, 'utf8');
  } catch {
    return [{ file, message: 'the file does not exist or cannot be read' }];
  }
  // The bounded reader: size, depth and alias expansion (alias bombs) are limited; duplicate keys are problems.
  const read = readYaml(text, file);
  const problems: ComposeProblem[] = read.problems.map((p) => ({
    file,
    line: p.line,
    col: p.col,
    message: p.kind === 'syntax' ? p.message : `${p.message}. ${p.fix}`,
  }));
  if (problems.length > 0) return problems;
  const data = read.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return [{ file, line: 1, message: 'the file is not a mapping of top-level keys (services:, volumes:, ...)' }];
  const services = (data as Record<string, unknown>).services;
  if (services !== undefined && (typeof services !== 'object' || services === null || Array.isArray(services))) {
    const pos = read.locate(['services'])?.value;
    return [{ file, line: pos?.line, col: pos?.col, message: '"services" must be a mapping of service names to their settings' }];
  }
  return [];
}

/** Throws one error listing every problem of every file; relative names are read from `dir`, and named as given. */
export function assertComposeFiles(files: readonly string[], dir = process.cwd()): void {
  const problems = files.flatMap((f) => checkComposeFile(f, path.resolve(dir, f)));
  if (problems.length === 0) return;
  throw new TaskError(
    ErrorCode.badComposeFile,
    `${new Set(problems.map((p) => p.file)).size === 1 ? 'a compose file is' : 'compose files are'} broken: ${problems.map((p) => `${p.file}${p.line ? `:${p.line}${p.col ? `:${p.col}` : ''}` : ''}: ${p.message}`).join('; ')}. Fix the file (indentation and ':' after each key are the usual suspects); nothing was started.`,
  );
}
