/** Everything the Docker workflow validates: the app's configuration and the images it runs on. */
import { assistantSpec } from './assistant-spec.ts';
import { dockerSpec } from './docker-spec.ts';
import { extendSpec } from './spec.ts';

export const workflowSpec = extendSpec(assistantSpec, dockerSpec);
