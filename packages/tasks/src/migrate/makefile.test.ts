import { describe, expect, it } from 'vitest';
import { rewriteMakefile } from './makefile.ts';

const OLD = `.PHONY: test docker-build docker-run

test:
\tpytest -q

docker-build: lint
\tdocker build -t promtior-assistant:latest .
\t@echo built

docker-run:
\tdocker-compose up -d

lint:
\truff check .
`;

describe('rewriteMakefile', () => {
  it('turns docker targets into shims, keeps prerequisites and every other target, appends the missing ones', () => {
    const r = rewriteMakefile(OLD);
    expect(r.rewritten).toEqual(['docker-build', 'docker-run']);
    expect(r.added).toEqual(['docker-dev', 'docker-clean']);
    expect(r.text).toBe(`.PHONY: test docker-build docker-run

test:
\tpytest -q

docker-build: lint
\tpnpm task docker-build

docker-run:
\tpnpm task docker-run

lint:
\truff check .

# Docker targets: the tasks do the work (pnpm task --list shows them all).
.PHONY: docker-dev docker-clean
docker-dev:
\tpnpm task docker-dev

docker-clean:
\tpnpm task docker-clean
`);
  });

  it('is idempotent', () => {
    const once = rewriteMakefile(OLD).text;
    expect(rewriteMakefile(once).text).toBe(once);
  });

  it('leaves variable assignments that look like targets alone', () => {
    expect(rewriteMakefile('docker-build:=x\n').rewritten).toEqual([]);
  });
});
