// Helpers for testing plans without an engine: `@promtior/tasks/testing`.
export { type FakeFacts, fakeFacts } from './facts/fake.ts';
export { type PlanOf, planContext, planOf } from './run/plan-of.ts';
