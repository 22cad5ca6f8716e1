import { describe, expect, it } from 'vitest';
import { GOOD_KEY, runCli, tempRepo } from './helpers/cli.ts';

const SECRET = 'sk-THISisAsecretVALUEthatMUSTnotLEAK';

describe('env-check', () => {
  it('reports an invalid port, a missing key, openai without a key and a malformed line at once, with file:line', () => {
    const dir = tempRepo({ '.env': `# broken on purpose\nAPP_PORT=70000\nLLM_PROVIDER=openai\nthis line is not an assignment\nOLLAMA_MODEL=tinyllama\n` });
    const r = runCli(['env-check'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the environment has 4 problems');
    expect(r.stderr).toContain('.env:2: APP_PORT is "70000", expected an integer from 1 to 65535');
    expect(r.stderr).toContain('.env:4: the key "this" is followed by a space and more text');
    expect(r.stderr).toMatch(/\.env: OPENAI_API_KEY is not set \(required because LLM_PROVIDER=openai\)/);
    expect(r.stderr).toMatch(/\.env: ADMIN_REINGEST_KEY is not set/);
    expect(r.stderr.match(/fix: /g)?.length).toBe(4);
  });

  it('never prints a secret value: not in errors, warnings, --verbose, --dry-run or JSON output', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${SECRET}#tail\nOPENAI_API_KEY=short\nLLM_PROVIDER=openai\n` });
    for (const args of [['env-check'], ['env-check', '--verbose'], ['env-check', '--output', 'json'], ['docker-build']]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.all).not.toContain(SECRET);
      expect(r.all).not.toContain('short\n');
      expect(r.all).toMatch(/OPENAI_API_KEY is not valid: expected an OpenAI API key .*not shown because it is secret/);
    }
    // A dry run validates nothing (env-check is one of the steps it prints) and prints no secret either.
    const dry = runCli(['docker-build', '--dry-run', '--verbose'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.all).not.toContain(SECRET);
  });

  it('masks a secret from the shell that a command would print', () => {
    const dir = tempRepo({
      '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\n`,
      'tasks/leak.ts': `import { defineTask, cmd, call, envCheck } from '@promtior/tasks';\nimport { z } from 'zod';\nexport const leak = defineTask({ name: 'leak', description: 'prints env', options: z.object({}), run: (_o, ctx) => [call(envCheck), cmd(['sh', '-c', 'echo key=$ADMIN_REINGEST_KEY'], { cwd: ctx.cwd })] });\n`,
    });
    const r = runCli(['leak', '--verbose'], { cwd: dir, env: { ADMIN_REINGEST_KEY: SECRET } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('key=***');
    expect(r.all).not.toContain(SECRET);
  });

  it('passes a valid file, warns where node dotenv reads a line differently, and the shell wins over .env', () => {
    const dir = tempRepo({ '.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}#x\nAPP_PORT=99999\n` });
    const r = runCli(['env-check'], { cwd: dir, env: { APP_PORT: '8080' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".env:1: ADMIN_REINGEST_KEY reads differently with node's dotenv than with docker compose");
    expect(r.stdout).toContain("wrap the value in single quotes (ADMIN_REINGEST_KEY='...')");
    expect(r.stdout).not.toContain(GOOD_KEY);
    // 11 of the assistant and the images, 7 of the template's build parameters with a default (APP_MODULE ... APP_DEV_EXTRA).
    expect(r.stdout).toContain('18 variables valid (read .env)');
  });

  it('reads --env-file files in order and names a missing one', () => {
    const dir = tempRepo({ 'base.env': `ADMIN_REINGEST_KEY=${GOOD_KEY}\nAPP_PORT=1\n`, 'override.env': 'APP_PORT=0\n' });
    expect(runCli(['env-check', '--env-file', 'base.env'], { cwd: dir }).code).toBe(0);
    const r = runCli(['env-check', '--env-file', 'base.env', '--env-file', 'override.env'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('override.env:1: APP_PORT is "0"');
    const missing = runCli(['env-check', '--env-file', 'nope.env'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`env file not found: ${dir}/nope.env`);
  });

  it('with no .env, names where it looked: in the error and in the success line, one line each even for a folder named with a newline', () => {
    const dir = tempRepo({ 'odd\nname/.keep': '' });
    const odd = `${dir}/odd\nname`;
    const missing = runCli(['env-check'], { cwd: odd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`: it is in neither ${dir}/odd\\nname/.env (there is no such file) nor the shell environment\n`);
    expect(missing.stderr).toContain(`fix: add ADMIN_REINGEST_KEY=... to ${dir}/odd\\nname/.env;`);
    const ok = runCli(['env-check'], { cwd: odd, env: { ADMIN_REINGEST_KEY: GOOD_KEY } });
    expect(ok.code, ok.all).toBe(0);
    expect(ok.stdout).toMatch(/^ {2}\[env-check\] \d+ variables valid \(no .*\/odd\\nname\/\.env: defaults and shell only\)$/m);
  });

  it("names the project's .env as seen from where the command ran, and counts the warnings it lists", () => {
    const dir = tempRepo({
      'package.json': JSON.stringify({ name: 'x', private: true, 'promtior-tasks': { project: 'svc' } }),
      'svc/.env': 'APP_PORT=70000\nOLLAMA_MODEL=tinyllama#x\n',
    });
    const r = runCli(['env-check'], { cwd: dir });
    expect(r.code, r.all).toBe(1);
    expect(r.stderr).toContain('error: the environment has 2 problems and 1 warning.');
    expect(r.stderr).toContain('svc/.env:1: APP_PORT is "70000"');
    expect(r.stderr).toMatch(/⚠ svc\/\.env:2: /);
    expect(r.stderr).toMatch(/svc\/\.env: ADMIN_REINGEST_KEY is not set .*: it is in neither svc\/\.env nor the shell environment/);
    expect(r.stderr).toContain('fix: add ADMIN_REINGEST_KEY=... to svc/.env;');
  });
});
