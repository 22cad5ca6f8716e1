import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageRefOption, serviceOption } from './ref-options.ts';

describe('image and service names from the user never reach docker as an option', () => {
  it('accepts real references and service names', () => {
    for (const ok of ['promtior-assistant:latest', 'ghcr.io/team/app:1.4.0', '127.0.0.1:5000/app@sha256:abc', 'x'])
      expect(imageRefOption().safeParse(ok).success).toBe(true);
    for (const ok of ['app', 'ollama', 'db_1', 'worker-2']) expect(serviceOption().safeParse(ok).success).toBe(true);
  });

  it('rejects anything starting with "-", and spaces or control characters anywhere', () => {
    for (const bad of ['--help', '-x', '-', 'a b', 'app\n', 'app\u001b]0;x\u0007', '']) {
      expect(imageRefOption().safeParse(bad).success).toBe(false);
      expect(serviceOption().safeParse(bad).success).toBe(false);
    }
  });

  it('property: no accepted name starts with "-" or holds whitespace or a control character', () => {
    const clean = (s: string) => s !== '' && !s.startsWith('-') && !/[\s\p{Cc}]/u.test(s);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const accepted = imageRefOption().safeParse(s).success || serviceOption().safeParse(s).success;
        return !accepted || clean(s);
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => !imageRefOption().safeParse(`-${s}`).success));
  });
});
