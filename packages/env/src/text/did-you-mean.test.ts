import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, NameMatcher } from './did-you-mean.ts';

const SPEC = ['APP_PORT', 'OLLAMA_MODEL', 'OLLAMA_BASE_URL', 'OPENAI_MODEL', 'ADMIN_REINGEST_KEY', 'UV_IMAGE'];

describe('did you mean', () => {
  it.each([
    ['APP_PROT', ['APP_PORT']],
    ['OLLAMA_MODL', ['OLLAMA_MODEL']],
    ['app_port', ['APP_PORT']],
    ['ADMIN_REINGEST_KY', ['ADMIN_REINGEST_KEY']],
    ['APP_PORT', []],
    ['DATABASE_URL', []],
    ['SERVICE_123_HOST', []],
    ['', []],
  ])('%s → %j', (name, expected) => {
    expect(didYouMean(name, SPEC)).toEqual(expected);
  });

  it('counts an adjacent swap as one edit and stops past the allowance', () => {
    expect(editDistance('APP_PROT', 'APP_PORT', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a'.repeat(10_000), 'APP_PORT', 2)).toBe(3);
  });

  it('returns every name at the same best distance', () => {
    expect(new NameMatcher(['AB_CD_X', 'AB_CD_Y']).match('AB_CD_Z')).toEqual(['AB_CD_X', 'AB_CD_Y']);
  });
});
