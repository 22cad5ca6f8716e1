/** Progress of a long copy: bytes done, rate and estimate; a line per 10 % when not in a terminal. */
import type { RunContext } from '../model/steps.ts';

function human(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function progressReporter(rt: RunContext, what: string, total: number) {
  const started = Date.now();
  let lastDecile = -1;
  let lastLog = 0;
  const line = (done: number) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
    const eta = rate > 0 && total > done ? ` ETA ${Math.ceil((total - done) / rate)} s` : '';
    return `${what}: ${human(done)}${total > 0 ? ` of ~${human(total)} (${pct}%)` : ''}, ${human(rate)}/s${eta}`;
  };
  return {
    update: (done: number) => {
      if (rt.interactive) {
        if (Date.now() - lastLog >= 200) {
          lastLog = Date.now();
          rt.log(line(done));
        }
        return;
      }
      const decile = total > 0 ? Math.min(10, Math.floor((done / total) * 10)) : 0;
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        rt.log(line(done));
      }
    },
    done: (bytes: number) => rt.log(`${what}: ${human(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`),
  };
}
