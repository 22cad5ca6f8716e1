import { describe, expect, it } from 'vitest';
import { parseDotenv } from './parse.ts';
import { portabilityWarnings } from './portability.ts';

const warn = (text: string) => portabilityWarnings(text, parseDotenv(text).entries);

describe('portabilityWarnings: where node dotenv and compose disagree', () => {
  it('warns about an unquoted # and never shows the value', () => {
    const [w] = warn('ADMIN_REINGEST_KEY=abc#123secret\n');
    expect(w?.line).toBe(1);
    expect(w?.message).toContain('cuts the value at "#"');
    expect(JSON.stringify(w)).not.toContain('abc#123secret');
    expect(w?.fix).toContain("ADMIN_REINGEST_KEY='...'");
  });

  it('warns about $ that compose interpolates', () => {
    expect(warn('PASS=abc$def')[0]?.message).toContain('$def');
  });

  it('is silent where both agree', () => {
    expect(warn('A=1\nB=\'x#y\'\nC="multi\nline"\nexport D=4\n')).toEqual([]);
  });
});
