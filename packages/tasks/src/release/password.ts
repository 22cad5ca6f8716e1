/** `--password-stdin`: the password is read from our stdin at run time and only ever written to a child's stdin. */
import { ErrorCode, TaskError } from '../errors.ts';

export async function readPassword(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) {
    throw new TaskError(
      ErrorCode.badFlag,
      '--password-stdin reads the password from stdin, and stdin is a terminal. Fix: pipe it in (printf %s "$REGISTRY_TOKEN" | task docker-push --password-stdin --username NAME), or drop --password-stdin to use Docker\'s credential store (docker login).',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') {
    throw new TaskError(ErrorCode.badFlag, '--password-stdin: stdin was empty. Fix: pipe the password or token in, without echoing it to the terminal.');
  }
  return password;
}
