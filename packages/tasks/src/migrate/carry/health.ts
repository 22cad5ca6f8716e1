/** The health check an old set-up had (Dockerfile HEALTHCHECK or compose healthcheck): its HTTP path and timings. */

export interface Health {
  /** The path it requests on the app itself (localhost), or undefined when it is not an HTTP request. */
  path?: string;
  port?: string;
  interval?: string;
  startPeriod?: string;
}

const URL = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::([^/\s'"\\)]+))?(\/[^\s'"\\)]*)?/;

/** The URL a health check command requests (curl, wget, python urllib...), whatever form it is written in. */
export function healthOf(command: string, options: Record<string, string> = {}): Health {
  const m = URL.exec(command);
  return {
    path: m ? (m[2] ?? '/').replace(/%s$/, '') || '/' : undefined,
    port: m?.[1] && /^\d+$/.test(m[1]) ? m[1] : undefined,
    interval: options.interval,
    startPeriod: options['start-period'] ?? options.start_period,
  };
}

/** `--interval=5s --start-period=30s CMD ...` → the options and the command. */
export function splitHealthcheck(args: string): { options: Record<string, string>; command: string; none: boolean } {
  const options: Record<string, string> = {};
  let rest = args.trim();
  for (let m = /^--([\w-]+)=(\S+)\s+/.exec(rest); m; m = /^--([\w-]+)=(\S+)\s+/.exec(rest)) {
    options[m[1] as string] = m[2] as string;
    rest = rest.slice(m[0].length);
  }
  return { options, command: rest.replace(/^CMD\s+/i, ''), none: /^NONE$/i.test(rest) };
}
