// This repo runs the chat assistant (docker/assistant, named in package.json): its variables (ADMIN_REINGEST_KEY,
// LLM_PROVIDER...) are validated here because this configuration says so. Another team's repo says `preset: 'none'`
// and lists its own variables under `env` (`task migrate` writes them from its old set-up).
export default { preset: 'assistant' };
