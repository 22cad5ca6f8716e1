/**
 * Everything the Docker workflow validates. `workflowSpec` is the assistant's (its own variables, the service's
 * and the images'): what a repo gets unless its tasks.config.ts says `preset: 'none'`, which leaves the assistant's
 * out (`serviceWorkflowSpec`) so that another team's service is validated against its own variables only.
 */
import { assistantSpec } from './assistant-spec.ts';
import { dockerSpec } from './docker-spec.ts';
import { serviceSpec } from './service-spec.ts';
import { extendSpec } from './spec.ts';

export const serviceWorkflowSpec = extendSpec(serviceSpec, dockerSpec);
export const workflowSpec = extendSpec(extendSpec(assistantSpec, serviceSpec), dockerSpec);
