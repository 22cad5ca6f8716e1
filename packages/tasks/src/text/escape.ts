/**
 * Terminal safety for everything we print that came from outside (a .env value, a task name typed on the command
 * line, a child's output): control characters are shown as `\xNN` instead of being sent to the terminal, where an
 * escape sequence could retitle the window, hide text or move the cursor. Tabs and newlines stay as they are.
 */

// C0 controls except \t and \n, DEL, and the C1 range (which some terminals read as escape sequences too).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Select Graphic Rendition (colours, bold): the one escape a child's output may keep in a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching an escape sequence is the point
const SGR = /\u001b\[[0-9;]*m/g;

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Shows every control character except tab and newline as `\xNN`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, hex);
}

/** Like escapeControl, but keeps colour sequences (for a child's output shown in a terminal). */
export function escapeControlKeepColor(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out += escapeControl(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeControl(text.slice(last));
}

/** Removes colour sequences: a child's last lines quoted in an error are read, not rendered. */
export function stripColor(text: string): string {
  return text.replace(SGR, '');
}
