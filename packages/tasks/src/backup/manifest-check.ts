/**
 * A manifest is input: a backup folder can be copied from elsewhere, edited or planted. Before anything is verified
 * or restored from it, its shape and every path in it are checked, so that a crafted manifest can neither write
 * outside the project (`../x`, `/etc/x`, a symlinked folder) nor restore special permission bits (setuid).
 */
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Docker's own rule for volume names. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const SHA256 = /^[a-f0-9]{64}$/;

/** Why a manifest path is unsafe, or undefined when it is a plain relative path inside the folder. */
export function unsafePath(p: string): string | undefined {
  if (p.length === 0) return 'is empty';
  if (p.length > 4096) return 'is longer than 4096 characters';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (path.isAbsolute(p) || p.startsWith('\\')) return 'is absolute';
  const parts = p.split(/[\\/]/);
  if (parts.includes('..')) return 'leaves the folder (..)';
  if (parts.some((s) => s === '' || s === '.')) return 'is not normalised (empty or . segment)';
  return undefined;
}

const relPath = z.string().superRefine((p, ctx) => {
  const why = unsafePath(p);
  if (why) ctx.addIssue({ code: 'custom', message: `path ${JSON.stringify(p.slice(0, 200))} ${why}` });
});

/** Only permission bits: this tool never records setuid, setgid or sticky, so a manifest that has them was crafted. */
const mode = z
  .number()
  .int()
  .superRefine((m, ctx) => {
    if (m < 0 || m > 0o777) ctx.addIssue({ code: 'custom', message: `mode ${m.toString(8)} has bits beyond rwx (setuid, setgid or sticky)` });
  });

const fileEntry = z.strictObject({ path: relPath, size: z.number().int().nonnegative(), sha256: z.string().regex(SHA256), mode });

const volumeEntry = z
  .strictObject({
    name: z.string().regex(VOLUME_NAME, 'a Docker volume name'),
    file: z.string(),
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(SHA256),
    contentSha256: z.string().regex(SHA256),
    files: z.number().int().nonnegative(),
  })
  .superRefine((v, ctx) => {
    if (v.file !== `volumes/${v.name}.tar`)
      ctx.addIssue({ code: 'custom', message: `file must be volumes/${v.name}.tar, not ${JSON.stringify(v.file.slice(0, 200))}` });
  });

export const manifestSchema = z.strictObject({
  version: z.literal(1),
  id: z.string().regex(/^[\w.-]+$/),
  createdAt: z.string(),
  task: z.string(),
  project: z.string(),
  files: z.array(fileEntry),
  volumes: z.array(volumeEntry),
  engine: z.strictObject({ version: z.string(), api: z.string() }).optional(),
  compose: z.strictObject({ kind: z.string(), version: z.string() }).optional(),
});

/** Problems of a parsed manifest.json, each one line; empty when it is safe to use. */
export function manifestProblems(raw: unknown, id: string): string[] {
  const r = manifestSchema.safeParse(raw);
  const problems = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`);
  if (r.success && r.data.id !== id) problems.push(`id: the manifest says ${JSON.stringify(r.data.id.slice(0, 100))} but lives in folder ${id}`);
  return problems.slice(0, 10);
}

/**
 * Why writing `rel` under `root` would land outside it, or undefined. Every folder on the way that exists must
 * resolve inside root (a symlinked folder that points elsewhere is refused); the file itself may be a symlink,
 * since an atomic rename replaces the link and never writes through it.
 */
export function escapesRoot(root: string, rel: string): string | undefined {
  const realRoot = realpathSync(root);
  let dir = root;
  for (const part of rel.split('/').slice(0, -1)) {
    dir = path.join(dir, part);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(dir);
    } catch {
      return undefined; // The rest of the way does not exist yet: nothing on it can point elsewhere.
    }
    if (!st.isDirectory() && !st.isSymbolicLink()) return `${path.relative(root, dir)} is not a folder`;
    const real = realpathSync(dir);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return `${path.relative(root, dir)} is a symlink to ${real}, outside ${root}`;
  }
  return undefined;
}
