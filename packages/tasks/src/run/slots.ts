/**
 * The `-j N` cap: at most N steps (commands and actions) run at once. A waiting step with the lower priority
 * number goes first; ties go to the one that asked first. A freed slot is handed on only after the current turn of
 * the event loop, so a task that just finished one step and asks for its next keeps going instead of losing its
 * place to a task that has not started (output stays grouped, like a make job).
 */
export class Slots {
  private free: number;
  private readonly waiting: { priority: number; seq: number; grant: () => void }[] = [];
  private seq = 0;
  private dispatching = false;

  readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.free = Math.max(1, size);
  }

  /** Resolves with the function that gives the slot back. */
  acquire(priority: number): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({
        priority,
        seq: this.seq++,
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.free++;
            this.schedule();
          });
        },
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    setImmediate(() => {
      this.dispatching = false;
      this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      while (this.free > 0 && this.waiting.length > 0) {
        this.free--;
        this.waiting.shift()?.grant();
      }
    });
  }
}
