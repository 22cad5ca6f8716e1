/** Whether compose may use healthcheck `start_interval`: engine API 1.44+ (Docker 25) and Compose v2. */
import type { ComposeKind } from '../facts/facts.ts';

export function supportsStartInterval(apiVersion: string, compose: ComposeKind): boolean {
  const [major = 0, minor = 0] = apiVersion.split('.').map((n) => Number.parseInt(n, 10));
  return compose === 'v2' && (major > 1 || (major === 1 && minor >= 44));
}
