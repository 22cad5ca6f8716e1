/** doctor's image checks: which registry the daemon pulls through, and which image each role would use and why. */
import type { RegistryFacts } from '../facts/facts.ts';
import type { ImageChoice } from './images.ts';
import { IMAGE_KEYS } from './images.ts';
import type { Check } from './project-checks.ts';
import { STAND_INS } from './stand-ins.ts';

export function imageChecks(choice: ImageChoice, registry: RegistryFacts): Check[] {
  const asked = Object.values(registry.pullable);
  const slowest = asked.length > 0 ? Math.max(...asked.map((a) => a.ms)) : 0;
  const checks: Check[] = [
    {
      name: 'registry',
      ok: true,
      detail: `the daemon at ${registry.daemon} pulls${registry.mirrors.length > 0 ? ` Docker Hub images through ${registry.mirrors.join(', ')}` : ' directly (no mirror)'}; ${
        asked.length > 0
          ? `asked about ${asked.length} image${asked.length > 1 ? 's' : ''} in ${slowest} ms (given up on after ${registry.deadlineMs / 1000} s)`
          : 'every image is on this machine'
      }; shared build cache: ${registry.cacheExport.kind} (${registry.cacheExport.why})`,
    },
  ];
  for (const key of IMAGE_KEYS) {
    const r = choice.roles[key];
    const name = `${STAND_INS[key].role} image`;
    if (r.refusal) checks.push({ name, ok: false, detail: r.refusal, fix: `make ${r.wanted} pullable, or unset ${key} to fall back to the stand-in` });
    else if (r.source === 'stand-in') {
      checks.push({
        name,
        ok: true,
        warn: true,
        detail: `local stand-in ${r.ref} (${r.why}); ${STAND_INS[key].limits}`,
        fix: `pull ${r.wanted}, or make its registry reachable, to use the real one`,
      });
    } else checks.push({ name, ok: true, detail: `${r.ref}: ${r.source === 'present' ? r.why : `not on this machine; will be pulled: ${r.why}`}` });
  }
  return checks;
}
