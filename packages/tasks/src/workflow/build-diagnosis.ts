/** The seed's troubleshooting for builds, as a diagnosis: the last lines of a failed `docker build` → cause and fix. */
const RULES: readonly { when: RegExp; cause: (dir: string) => string }[] = [
  {
    when: /failed to (walk|compute cache key).*permission denied|permission denied.*failed to walk/i,
    cause: () =>
      'the build context holds files Docker cannot read, usually a .venv/ or __pycache__/ made by another user. Fix: make sure .dockerignore leaves out .venv/ and __pycache__/ (the shipped one does), or delete them',
  },
  {
    when: /failed to compute cache key.*(not found|no such file)|"\/(pyproject\.toml|src)": not found/i,
    cause: (dir) =>
      `a file the Dockerfile copies is not in the build context ${dir}, or .dockerignore leaves it out. Fix: check that pyproject.toml and src/ exist there and are not ignored`,
  },
  {
    when: /pull access denied|failed to resolve source metadata|failed to do request|no such host|dial tcp|i\/o timeout|TLS handshake timeout/i,
    cause: () =>
      'a base image could not be pulled (no registry reachable?). Fix: build the local stand-ins with `task docker-offline-images` and pass --images offline, or pull the base images first',
  },
  {
    when: /no space left on device/i,
    cause: () => "Docker's disk is full. Fix: `task docker-clean` removes this project's images; `docker system df` shows what else takes space",
  },
  {
    when: /uv pip install|pip install/i,
    cause: () => 'installing the Python dependencies failed: see the resolver output above (an unreachable package index, or a version that does not exist)',
  },
];

export function diagnoseBuild(dir: string): (lastLines: readonly string[]) => string | undefined {
  return (lines) => {
    const text = lines.join('\n');
    return RULES.find((r) => r.when.test(text))?.cause(dir);
  };
}
