import { describe, expect, it } from 'vitest';
import { carryMakefile, expand, readMakefile, SHELL_VALUE } from './makefile.ts';
import { newCarry } from './types.ts';

const MAKEFILE = [
  'IMAGE ?= team/reports',
  'IMAGE ?= ignored',
  'TAG := $(shell git rev-parse --short HEAD 2>/dev/null || echo dev)',
  'PORT = 8090',
  'FLAGS = -p $(PORT):8090',
  '',
  'test:',
  '\tpython -m unittest',
  '',
  'docker-build:',
  '\tdocker build -t $(IMAGE):$(TAG) -t $(IMAGE):latest .',
  '',
  'docker-run:',
  '\tdocker run -d --rm $(FLAGS) -e LOG_LEVEL=debug -e TOKEN --env-file .env.run -v uploads:/srv/up --name web $(IMAGE) python app.py --fast',
  '',
  'docker-logs:',
  '\tdocker logs -f web',
  '',
].join('\n');

describe('carrying a Makefile', () => {
  it('reads variables (?= keeps the first) and targets with their recipe lines', () => {
    const { vars, targets } = readMakefile(MAKEFILE);
    expect(vars.IMAGE).toBe('team/reports');
    expect(targets.map((t) => `${t.name}:${t.recipe.map((r) => r.line).join(',')}`)).toEqual(['test:8', 'docker-build:11', 'docker-run:14', 'docker-logs:17']);
    expect(expand('$(IMAGE):${TAG}', vars)).toBe(`team/reports:${SHELL_VALUE}`);
  });

  it("names the image, reads docker run's settings, and maps every replaced recipe line", () => {
    const carry = newCarry();
    const found = carryMakefile(MAKEFILE, carry);
    expect(found.image).toEqual({ name: 'team/reports:latest', from: expect.objectContaining({ line: 11 }) });
    expect(found.run).toMatchObject({
      ports: ['8090:8090'],
      env: [
        ['LOG_LEVEL', 'debug'],
        ['TOKEN', undefined],
      ],
      envFiles: ['.env.run'],
      volumes: ['uploads:/srv/up'],
      command: ['python', 'app.py', '--fast'],
    });
    expect(carry.mapping.map((m) => `${m.from.line} ${m.verdict}: ${m.to}`)).toEqual([
      '11 carried: `make docker-build` runs `pnpm task docker-build` (the recipe is replaced); image team/reports:latest (tasks.config.ts image)',
      '14 carried: `make docker-run` runs `pnpm task docker-run` (the recipe is replaced)',
      '17 carried: target docker-logs stays as it was',
    ]);
  });
});
