/**
 * A fixed header over streaming lines, for a command whose output is the product (docker-dev). The header sits in
 * the top rows of the terminal; a scroll region (DECSTBM) below it takes the lines, so they scroll while the header
 * stays. What was on screen before is pushed into the scrollback first, not cleared. Header rows are redrawn in
 * place when they change and when the terminal is resized; `close` gives the whole screen back to scrolling.
 * A terminal too small for a header and a few lines gets the header printed once, then the lines.
 */
import type { HeaderRow } from '../model/line-view.ts';
import { type Mask, safeOutput, safeText } from './safe.ts';

export interface Live {
  /** Sets rows by label (a new label is added at the end) and redraws them. */
  header(rows: readonly HeaderRow[]): void;
  line(text: string): void;
  close(): void;
}

export interface Screen {
  write(text: string): void;
  size(): { rows: number; columns: number };
  /** Registers a resize handler; returns the function that removes it. */
  onResize(fn: () => void): () => void;
}

const ESC = '\u001b[';
const MIN_LOG_ROWS = 5;

export function liveView(screen: Screen, mask: Mask, title: string, initial: readonly HeaderRow[]): Live {
  const rows: HeaderRow[] = [];
  const set = (updates: readonly HeaderRow[]) => {
    for (const u of updates) {
      const at = rows.findIndex((r) => r.label === u.label);
      if (at >= 0) rows[at] = { ...u };
      else rows.push({ ...u });
    }
  };
  set(initial);
  const lines = (width: number): string[] => {
    const labelWidth = Math.max(...rows.map((r) => r.label.length), 0);
    const cut = (s: string) => (s.length > width - 1 ? `${s.slice(0, Math.max(0, width - 2))}…` : s);
    const rule = '─'.repeat(Math.max(0, Math.min(width - 1, 100) - title.length - 4));
    return [
      cut(`── ${safeText(title, mask)} ${rule}`),
      ...rows.map((r) => cut(`  ${r.label.padEnd(labelWidth)}  ${safeText(r.text, mask)}`)),
      cut('─'.repeat(Math.min(width - 1, 100))),
    ];
  };
  let { rows: height, columns: width } = screen.size();
  let pinned = height >= rows.length + 2 + MIN_LOG_ROWS;
  let drawnRows = rows.length;

  const drawHeader = () => {
    // Save the cursor, draw each row in place (cleared first), restore: the log region is not touched.
    const text = lines(width)
      .map((l, i) => `${ESC}${i + 1};1H${ESC}2K${l}`)
      .join('');
    screen.write(`\u001b7${text}\u001b8`);
  };
  // Rows below the header scroll; setting the region homes the cursor, so it is put back where lines go.
  const region = (cursor: 'top' | 'bottom') => {
    const top = rows.length + 3;
    screen.write(`${ESC}${top};${height}r${ESC}${cursor === 'top' ? top : height};1H`);
    drawnRows = rows.length;
  };

  if (pinned) {
    // Push what is on screen into the scrollback, then keep the top rows for the header.
    screen.write(`${'\n'.repeat(height)}${ESC}H`);
    drawHeader();
    region('top');
  } else {
    screen.write(`${lines(width).join('\n')}\n`);
  }
  const offResize = screen.onResize(() => {
    ({ rows: height, columns: width } = screen.size());
    const fits = height >= rows.length + 2 + MIN_LOG_ROWS;
    if (!fits) {
      if (pinned) screen.write(`${ESC}r${ESC}${height};1H`);
      pinned = false;
      return;
    }
    pinned = true;
    screen.write(`${ESC}r${ESC}2J`);
    drawHeader();
    region('top');
  });

  return {
    header(updates) {
      const before = rows.map((r) => `${r.label}\u0000${r.text}`).join('\n');
      set(updates);
      if (rows.map((r) => `${r.label}\u0000${r.text}`).join('\n') === before) return;
      if (!pinned) {
        for (const u of updates) screen.write(`${safeText(`${u.label}: ${u.text}`, mask)}\n`);
        return;
      }
      // A new row moves the region's top down one line.
      if (rows.length !== drawnRows) region('bottom');
      drawHeader();
    },
    line(text) {
      screen.write(`${safeOutput(text, mask)}\n`);
    },
    close() {
      offResize();
      if (pinned) screen.write(`${ESC}r${ESC}${height};1H\n`);
    },
  };
}
