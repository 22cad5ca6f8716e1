/**
 * Compose v1 (the only compose on this machine) reads some .env lines differently from compose v2 and from
 * env-check: an unbraced `$name` stays literal for v1 (`KEY=abc$tail`, also inside double quotes), where v2 and
 * env-check substitute it (empty when unset). Whatever compose runs must get exactly the values env-check validated: the tasks hand them to
 * compose in its process environment, which wins over .env in v1 and v2. A tiny service echoes what it got.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { requireEngineAndImages } from '../helpers/docker.ts';
import { type ExampleProject, exampleProject, getJson, removeProject } from '../helpers/project.ts';

const PROBE = `services:
  app:
    image: \${PYTHON_IMAGE}
    command:
      - python3
      - -c
      - |
        import json, os, http.server
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"key": os.environ["KEY"], "model": os.environ["MODEL"]}).encode()
                self.send_response(200)
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer(("0.0.0.0", int(os.environ["PORT"])), H).serve_forever()
    environment:
      KEY: \${ADMIN_REINGEST_KEY}
      MODEL: \${OLLAMA_MODEL}
      PORT: \${APP_PORT}
    ports:
      - "\${APP_HOST_PORT}:\${APP_PORT}"
`;

describe('compose gets the values env-check validated, not its own reading of .env', () => {
  let p: ExampleProject;
  beforeAll(() => {
    requireEngineAndImages();
    p = exampleProject();
    writeFileSync(path.join(p.dir, '.env'), `ADMIN_REINGEST_KEY=validated0123456789$tail\nOLLAMA_MODEL="tiny$suffix llama"\nAPP_PORT=${p.port}\n`);
    writeFileSync(path.join(p.dir, 'env-probe.yml'), PROBE);
  });
  afterAll(() => removeProject(p));

  it('compose v1 alone would read the lines otherwise (the premise of this test)', () => {
    const r = spawnSync('docker-compose', ['-f', 'env-probe.yml', 'config'], {
      cwd: p.dir,
      encoding: 'utf8',
      env: { ...process.env, PYTHON_IMAGE: 'x', APP_HOST_PORT: '1' },
    });
    expect(r.stdout).toContain('KEY: validated0123456789$$tail');
    expect(r.stdout).toContain('MODEL: tiny$$suffix llama');
  });

  it('docker-run starts the service with env-check’s values', async () => {
    const r = runCli(['docker-run', '--no-build', '--compose-file', 'env-probe.yml', '--timeout', '60'], { cwd: p.dir });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain('ADMIN_REINGEST_KEY refers to $tail, which is not set');
    const { body } = await getJson(`${p.url}/health`);
    expect(body).toEqual({ key: 'validated0123456789', model: 'tiny llama' });
  });
});
