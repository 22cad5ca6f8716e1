/** Every rule, in report order. Rule ids are stable: they appear in ignores, SARIF and CI configs. */
import type { Rule } from '../model.ts';
import { attackSurfaceRules, baseImageRules, healthRules, resourceRules, secretRules, userRules } from './index.ts';

export const ALL_RULES: readonly Rule[] = [...userRules, ...secretRules, ...baseImageRules, ...attackSurfaceRules, ...healthRules, ...resourceRules];
