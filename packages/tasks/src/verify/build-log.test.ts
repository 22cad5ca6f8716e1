/** How verify reads a rebuild's BuildKit log and judges whether a source-only change reused the dependency layers. */
import { describe, expect, it } from 'vitest';
import { installSteps, judgeRebuilds } from './build-log.ts';

// Trimmed from a real rebuild (Docker 20.10, --progress=plain) that overlapped another build's --no-cache run.
const INSTALL = '[dependencies 3/3] RUN --mount=type=cache,target=/root/.cache/uv     uv venv /opt/venv && uv pip install -r pyproject.toml';
const JOINED = `#7 [base 3/3] RUN if [ -n "" ]; then apt-get update; fi
#7 DONE 0.2s

#12 [dependencies 2/3] COPY pyproject.toml* requirements*.txt uv.lock* ./
#12 DONE 0.0s

#13 ${INSTALL}
#13 ...

#8 [production 1/3] RUN groupadd --system --gid 1001 appgroup
#8 DONE 0.4s

#13 ${INSTALL}
#13 0.356 uv stand-in: no dependencies to install
#13 DONE 0.4s
`;

describe('verify: reading a rebuild log', () => {
  it('counts a step once when BuildKit prints its header twice, and sees that it ran', () => {
    expect(installSteps(JOINED)).toEqual({ steps: ['#13'], cached: [] });
  });

  it('sees a cached install step, and ignores RUN steps that install nothing', () => {
    const log = `#7 [base 3/3] RUN if [ -n "" ]; then apt-get update; fi\n#7 CACHED\n\n#13 ${INSTALL}\n#13 CACHED\n\n#14 ${INSTALL}\n#14 ...\n#14 ${INSTALL}\n#14 CACHED\n`;
    expect(installSteps(log)).toEqual({ steps: ['#13', '#14'], cached: ['#13', '#14'] });
  });

  it('does not take #13 CACHED for #1 or #131', () => {
    const log = `#1 ${INSTALL}\n#1 DONE 1.0s\n#131 [x 1/1] RUN npm ci\n#131 DONE 2.0s\n#13 CACHED\n`;
    expect(installSteps(log)).toEqual({ steps: ['#1', '#131'], cached: [] });
  });
});

describe('verify: judging source-only rebuilds', () => {
  const CACHED = `#13 ${INSTALL}\n#13 CACHED\n`;

  it('passes on a later try when a concurrent build made the first miss, and says so', async () => {
    const logs = [JOINED, CACHED];
    const r = await judgeRebuilds(3, async (n) => logs[n - 1] ?? '');
    expect(r.ok).toBe(true);
    expect(r.figure).toMatch(/^1 of 1 dependency install steps cached; rebuilt in \d+\.\d s \(try 2 of 3; before: 0 of 1 .*\)$/);
  });

  it('fails a Dockerfile that reinstalls on every source change, after every try', async () => {
    const tries: number[] = [];
    const r = await judgeRebuilds(3, async (n) => {
      tries.push(n);
      return JOINED;
    });
    expect(r).toEqual({ ok: false, figure: expect.stringMatching(/^(0 of 1 dependency install steps cached; rebuilt in \d+\.\d s( \/ )?){3}$/) });
    expect(tries).toEqual([1, 2, 3]);
  });

  it('fails at once when the build has no dependency install step', async () => {
    const r = await judgeRebuilds(3, async () => '#7 [base 2/2] RUN true\n#7 CACHED\n');
    expect(r).toEqual({ ok: false, figure: expect.stringMatching(/^0 of 0 dependency install steps cached/) });
  });
});
