/** Variables the Docker assets read besides the app's own: which images to build from and run. */
import { z } from 'zod';
import { defineSpec } from './spec.ts';

const imageRef = z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/);
const expected = 'an image reference such as python:3.12-slim or registry.example.com/team/python:3.12';

export const dockerSpec = defineSpec({
  PYTHON_IMAGE: {
    description: 'Base image of every stage (build arg). Offline machines use the local stand-in.',
    schema: imageRef,
    expected,
    default: 'python:3.12-slim',
    buildArg: true,
  },
  UV_IMAGE: {
    description: 'Image the uv binary is copied from (build arg).',
    schema: imageRef,
    expected,
    default: 'ghcr.io/astral-sh/uv:0.9',
    buildArg: true,
  },
  OLLAMA_IMAGE: {
    description: 'Image of the ollama service (compose variable).',
    schema: imageRef,
    expected,
    default: 'ollama/ollama:latest',
  },
});
