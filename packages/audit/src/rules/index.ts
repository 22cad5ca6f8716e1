export { attackSurfaceRules } from './attack-surface.ts';
export { baseImageRules } from './base-image.ts';
export { healthRules } from './health-monitoring.ts';
export { resourceRules } from './resource-limits.ts';
export { secretRules } from './secrets-management.ts';
export { userRules } from './user-privileges.ts';
