/**
 * The plan pieces that make the chosen images available (workflow/images.ts decides, these act): a refusal when
 * an image must come from a registry that cannot provide it (before anything slow), announced `docker pull`s, the
 * stand-in builds, the stand-in warnings, the labels that record on an image which base each stage used, and the
 * warning about a running stack that uses stand-ins. All pure: commands and actions, listed by --dry-run.
 */
import { ErrorCode, TaskError } from '../errors.ts';
import { daemonJson } from '../facts/daemon-api.ts';
import { type ActionStep, action, call, cmd, type Step } from '../model/steps.ts';
import type { Task } from '../model/task.ts';
import type { ImageChoice, ImageKey, RoleChoice } from './images.ts';
import { baseLabel, STAND_INS, STAND_INS_LABEL } from './stand-ins.ts';

export interface ImageStepsOptions {
  bin: string;
  cwd: string;
  /** The task that builds stand-ins (docker-offline-images; passed in: shared code never imports builtins). */
  offlineImages: Task;
  /** Print the stand-in warnings as a step of their own (default); docker-build prints them in its report. */
  warn?: boolean;
}

/** The steps that make the images of `keys` available, in the order they must run. */
export function imageSteps(choice: ImageChoice, keys: readonly ImageKey[], o: ImageStepsOptions): Step[] {
  const roles = keys.map((k) => choice.roles[k]);
  const refused = roles.filter((r) => r.refusal !== undefined);
  const pulls = roles.filter((r) => r.source === 'pull' && r.refusal === undefined);
  const steps: Step[] = [];
  if (refused.length > 0) {
    const why = refused.map((r) => r.refusal as string);
    steps.push(
      action(
        'check the registry images',
        why.map((w) => `stop: ${w}`),
        () => {
          throw new TaskError(ErrorCode.imageUnavailable, why.join(' '));
        },
      ),
    );
  }
  if (pulls.length > 0) {
    steps.push(
      action(
        'announce the pulls',
        pulls.map((r) => `say: ${pullLine(r)}`),
        (rt) => {
          for (const r of pulls) rt.log(pullLine(r));
        },
      ),
      ...pulls.map((r) => cmd([o.bin, 'pull', r.ref], { cwd: o.cwd })),
    );
  }
  if (roles.some((r) => r.source === 'stand-in')) {
    // Every caller asks for the stand-ins of the whole choice, so docker-run's and docker-build's calls are one.
    steps.push(call(o.offlineImages, { only: choice.standIns.map((k) => STAND_INS[k].name) }));
    if (o.warn !== false) steps.push(standInWarning(choice, keys));
  }
  return steps;
}

function pullLine(r: RoleChoice): string {
  return `pulling ${r.ref} (${STAND_INS[r.key].role}): it is not on this machine, and ${r.why}`;
}

/** The warning lines for the roles of `keys` that use a stand-in. */
export function standInWarnings(choice: ImageChoice, keys: readonly ImageKey[]): string[] {
  return keys.flatMap((k) => {
    const r = choice.roles[k];
    return r.source === 'stand-in' ? [`warning: ${STAND_INS[k].role} is the local stand-in ${r.ref} (${r.why}): ${STAND_INS[k].limits}.`] : [];
  });
}

function standInWarning(choice: ImageChoice, keys: readonly ImageKey[]): ActionStep {
  const lines = standInWarnings(choice, keys);
  return action('warn about stand-ins', lines, (rt) => {
    for (const l of lines) rt.log(l);
  });
}

/** `--label` values recording the image each role's stages were built from, and which were stand-ins. */
export function imageLabels(choice: ImageChoice, keys: readonly ImageKey[]): string[] {
  const standIns = keys.filter((k) => choice.roles[k].source === 'stand-in').map((k) => STAND_INS[k].name);
  return [...keys.map((k) => `${baseLabel(k)}=${choice.roles[k].ref}`), `${STAND_INS_LABEL}=${standIns.join(',') || 'none'}`];
}

/**
 * After a stack is up (or before it runs in the foreground): one warning line when it uses any stand-in. The app's
 * share is read from its image's label (true for an image built earlier, too); Ollama's from the choice.
 */
export function runningStackWarning(choice: ImageChoice, appImage: string, o: Pick<ImageStepsOptions, 'bin' | 'cwd'> & { api?: string }): ActionStep {
  return action(
    'warn when the stack uses stand-ins',
    [`read the ${STAND_INS_LABEL} label of ${appImage}; print a warning line when the app or Ollama runs on a stand-in`],
    async (rt) => {
      // One GET on the daemon's socket where Node can ask it (~15 ms), else a docker process (~100 ms): this runs
      // right before docker-dev's and after docker-run's compose up, on the way to the app answering.
      const direct = o.api ? await daemonJson(o.api, `/images/${encodeURI(appImage)}/json`) : undefined;
      let label: string;
      if (direct) {
        const value =
          'json' in direct ? (direct.json as { Config?: { Labels?: Record<string, unknown> | null } } | null)?.Config?.Labels?.[STAND_INS_LABEL] : '';
        label = typeof value === 'string' ? value : '';
      } else {
        const r = await rt.exec(
          { argv: [o.bin, 'image', 'inspect', '--format', `{{index .Config.Labels "${STAND_INS_LABEL}"}}`, appImage], cwd: o.cwd },
          { quiet: true, okExitCodes: [1] },
        );
        label = r.exitCode === 0 ? r.stdout.trim() : '';
      }
      const line = stackWarning(label, choice.roles.OLLAMA_IMAGE.source === 'stand-in');
      if (line) rt.log(line);
    },
  );
}

/** The warning for a stack whose app image carries `appLabel` (the stand-ins label) and whose Ollama may be one. */
export function stackWarning(appLabel: string, ollamaStandIn: boolean): string | undefined {
  const app = appLabel.split(',').filter((n) => n !== '' && n !== 'none' && n !== '<no value>');
  const parts = [
    ...app.map((name) => {
      const s = Object.values(STAND_INS).find((x) => x.name === name);
      return s ? `the app image was built on the ${s.role} stand-in (${s.limits})` : `the app image was built on the ${name} stand-in`;
    }),
    ...(ollamaStandIn ? [`Ollama is the stand-in (${STAND_INS.OLLAMA_IMAGE.limits})`] : []),
  ];
  return parts.length > 0 ? `warning: this stack runs on local stand-ins: ${parts.join('; ')}.` : undefined;
}
