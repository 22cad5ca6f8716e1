/** The seed's configuration table for the FastAPI chat assistant, typed. */
import { z } from 'zod';
import { decimalInteger } from './numbers.ts';
import { defineSpec } from './spec.ts';

const httpUrl = z.url({ protocol: /^https?$/ });

export const ENVIRONMENTS = ['production', 'development', 'test'] as const;
export const LLM_PROVIDERS = ['ollama', 'openai'] as const;

export const assistantSpec = defineSpec({
  ENVIRONMENT: {
    description: 'Runtime mode of the app: production, development or test.',
    schema: z.enum(ENVIRONMENTS),
    expected: `one of ${ENVIRONMENTS.join(', ')}`,
    default: 'production',
  },
  LLM_PROVIDER: {
    description: 'Which LLM backend answers chats: ollama or openai.',
    schema: z.enum(LLM_PROVIDERS),
    expected: `one of ${LLM_PROVIDERS.join(', ')}`,
    default: 'ollama',
  },
  OLLAMA_BASE_URL: {
    description: 'Base URL of the Ollama HTTP API, as seen from the app container.',
    schema: httpUrl,
    expected: 'an http:// or https:// URL such as http://ollama:11434',
    default: 'http://ollama:11434',
  },
  OLLAMA_MODEL: {
    description: 'Ollama model used for chat answers.',
    schema: z.string().min(1),
    expected: 'a model name such as tinyllama',
    default: 'tinyllama',
  },
  OLLAMA_EMBEDDING_MODEL: {
    description: 'Ollama model used for embeddings (ChromaDB ingestion).',
    schema: z.string().min(1),
    expected: 'a model name such as nomic-embed-text',
    default: 'nomic-embed-text',
  },
  OPENAI_API_KEY: {
    description: 'OpenAI API key; required when LLM_PROVIDER=openai.',
    schema: z.string().min(20),
    expected: 'an OpenAI API key (at least 20 characters, usually starting with sk-)',
    secret: true,
    required: { when: (env) => env.LLM_PROVIDER === 'openai', reason: 'LLM_PROVIDER=openai' },
    howTo: 'create one at your OpenAI account page and set OPENAI_API_KEY in .env or the shell',
  },
  OPENAI_API_KEY_FILE: {
    description:
      'A file holding OPENAI_API_KEY (a platform secret, Docker secrets); wins over OPENAI_API_KEY. The tasks write one from OPENAI_API_KEY otherwise; the app reads it at /run/secrets/openai_api_key.',
    schema: z.string().min(1),
    expected: 'the path of a file the app (uid 1001) can read, absolute or relative to the project folder',
  },
  OPENAI_MODEL: {
    description: 'OpenAI model used when LLM_PROVIDER=openai.',
    schema: z.string().min(1),
    expected: 'a model name such as gpt-4o-mini',
    default: 'gpt-4o-mini',
  },
  ADMIN_REINGEST_KEY: {
    description: 'Shared secret that guards POST /admin/reingest.',
    schema: z.string().min(16),
    expected: 'a random string of at least 16 characters',
    secret: true,
    required: true,
    howTo: 'generate one with: openssl rand -hex 32',
  },
  ADMIN_REINGEST_KEY_FILE: {
    description:
      'A file holding ADMIN_REINGEST_KEY (a platform secret, Docker secrets); wins over ADMIN_REINGEST_KEY. The tasks write one from ADMIN_REINGEST_KEY otherwise; the app reads it at /run/secrets/admin_reingest_key.',
    schema: z.string().min(1),
    expected: 'the path of a file the app (uid 1001) can read, absolute or relative to the project folder',
  },
  APP_PORT: {
    description: 'Port the app listens on inside the container and publishes on the host.',
    schema: decimalInteger(1, 65535),
    expected: 'an integer from 1 to 65535',
    default: '8000',
    buildArg: true,
  },
});
