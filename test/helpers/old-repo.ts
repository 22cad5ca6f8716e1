/** A team repo of the old kind, as the seed describes it before the improvements. */
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempRepo } from './cli.ts';

export const OLD_FILES = {
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nEXPOSE 8000\nCMD ["python3", "-m", "app.main"]\n',
  'docker-compose.yml':
    'version: "3.8"\nservices:\n  ollama:\n    image: ollama/ollama:latest\n    ports:\n      - "11434:11434"\n    volumes:\n      - ollama:/root/.ollama\nvolumes:\n  ollama:\n',
  Makefile:
    '.PHONY: test docker-build docker-run docker-dev docker-clean\n\ntest:\n\tpytest -q\n\ndocker-build:\n\tdocker build -t promtior-assistant:latest .\n\ndocker-run:\n\tdocker-compose up -d\n\ndocker-dev:\n\tdocker-compose -f docker-compose.yml -f docker-compose.dev.yml up\n\ndocker-clean:\n\tdocker-compose down -v\n\tdocker system prune -f\n',
};

export function oldRepo(env: Record<string, string> = {}): string {
  const all = { ADMIN_REINGEST_KEY: 'old-repo-admin-key-0123456789', ...env };
  const dir = tempRepo({
    ...OLD_FILES,
    '.env': Object.entries(all)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  });
  cpSync(path.join(ROOT, 'docker', 'assistant', 'pyproject.toml'), path.join(dir, 'pyproject.toml'));
  cpSync(path.join(ROOT, 'docker', 'assistant', 'src'), path.join(dir, 'src'), { recursive: true, filter: (f) => !f.includes('__pycache__') });
  return dir;
}

/** Every file's path, mode and bytes, outside .backups/ (the tasks' own state) and node_modules. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === '.backups' || name === 'node_modules') continue;
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}
