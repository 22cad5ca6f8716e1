/** A Dockerfile parse check (what `docker build` would reject before building): instructions, continuations, FROM. */
const INSTRUCTIONS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

export interface DockerfileProblem {
  line: number;
  message: string;
}

export function checkDockerfile(text: string): DockerfileProblem[] {
  const problems: DockerfileProblem[] = [];
  const lines = text.split('\n');
  let sawFrom = false;
  let sawInstruction = false;
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    // Join continuation lines (comments inside a continued RUN are dropped, as Docker does).
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = (lines[i] as string).trim();
      line = `${line.slice(0, -1)} ${next.startsWith('#') ? '' : next}`;
    }
    const word = line.split(/\s+/)[0] as string;
    const upper = word.toUpperCase();
    if (!INSTRUCTIONS.has(upper)) {
      problems.push({ line: start, message: `unknown instruction "${word}"` });
      continue;
    }
    if (!sawInstruction && upper !== 'FROM' && upper !== 'ARG')
      problems.push({ line: start, message: `the first instruction must be FROM (or ARG before FROM), not ${upper}` });
    sawInstruction = true;
    if (upper === 'FROM') {
      sawFrom = true;
      if (line.split(/\s+/).length < 2) problems.push({ line: start, message: 'FROM needs an image' });
    }
  }
  if (!sawFrom) problems.push({ line: 1, message: 'there is no FROM instruction' });
  return problems;
}
