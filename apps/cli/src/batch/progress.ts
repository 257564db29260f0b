// Progress of a batch, one line per change of a job's state (queued, running, done, failed, and
// the attempts in between), on stderr; a status line every STATUS_EVERY_MS while jobs run; and the
// summary at the end. The same lines in local and queue mode.
import type { CliIo } from '../io.js';

type State = 'queued' | 'running' | 'done' | 'failed';

interface JobState {
  state: State;
  attempt: number;
  /** performance.now() when the current attempt was seen to start. */
  since: number;
  seconds?: number;
  reason?: string;
  where?: string;
}

const STATUS_EVERY_MS = 30_000;

export class BatchProgress {
  private readonly jobs = new Map<string, JobState>();
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: CliIo,
    names: readonly string[],
    private readonly attempts: number,
  ) {
    for (const name of names) this.jobs.set(name, { state: 'queued', attempt: 0, since: this.started });
    this.timer = setInterval(() => this.status(), STATUS_EVERY_MS);
    this.timer.unref();
  }

  running(name: string, attempt: number, where?: string): void {
    this.set(name, { state: 'running', attempt, since: performance.now(), ...(where ? { where } : {}) });
    this.line(`${name} running (attempt ${attempt}/${this.attempts}${where ? `, on ${where}` : ''})`);
  }

  /** An attempt failed and the job goes back to the queue. */
  retrying(name: string, attempt: number, reason: string): void {
    const seconds = this.elapsed(name);
    this.set(name, { state: 'queued', attempt, since: performance.now() });
    this.line(`${name} attempt ${attempt}/${this.attempts} failed after ${seconds.toFixed(1)} s (${firstLine(reason)}); retrying`);
  }

  /** The worker running the current attempt stopped renewing its lock (killed, or cut off from Redis). */
  lost(name: string): void {
    const attempt = this.attempt(name);
    this.set(name, { state: 'queued', attempt, since: performance.now() });
    this.line(`${name} attempt ${attempt}/${this.attempts} lost: its worker stopped renewing the job's lock (killed or disconnected); back in the queue for another worker`);
  }

  done(name: string, attempt: number, seconds?: number): void {
    const s = seconds ?? this.elapsed(name);
    this.set(name, { state: 'done', attempt, since: performance.now(), seconds: s });
    this.line(`${name} done in ${s.toFixed(1)} s (attempt ${attempt}/${this.attempts})`);
  }

  failed(name: string, attempt: number, reason: string): void {
    this.set(name, { state: 'failed', attempt, since: performance.now(), seconds: this.elapsed(name), reason });
    const [first, ...rest] = reason.split('\n');
    this.line(`${name} FAILED (attempt ${attempt}/${this.attempts}): ${first}${rest.map((l) => `\n  ${l}`).join('')}`);
  }

  /** The number of the job's latest attempt (0 before the first). */
  attempt(name: string): number {
    return this.jobs.get(name)!.attempt;
  }

  get finished(): boolean {
    return [...this.jobs.values()].every((j) => j.state === 'done' || j.state === 'failed');
  }

  names(state: State): string[] {
    return [...this.jobs].filter(([, j]) => j.state === state).map(([n]) => n);
  }

  /** One line of counts, with each running job's attempt and time so far. */
  status(): void {
    const running = this.names('running').map((n) => `${n} ${this.elapsed(n).toFixed(0)} s, attempt ${this.jobs.get(n)!.attempt}`);
    this.line(
      `${((performance.now() - this.started) / 1000).toFixed(0)} s: ${this.names('done').length} done, ${running.length} running` +
        `${running.length ? ` (${running.join('; ')})` : ''}, ${this.names('queued').length} queued, ${this.names('failed').length} failed`,
    );
  }

  /** The table printed at the end, one row per job. */
  summary(title: string): string {
    const width = Math.max(...[...this.jobs.keys()].map((n) => n.length));
    const rows = [...this.jobs].map(([name, j]) => {
      const time = j.seconds !== undefined ? `${j.seconds.toFixed(1)} s` : '';
      const what = j.state === 'failed' ? `  ${firstLine(j.reason ?? '')}` : '';
      return `  ${name.padEnd(width)}  ${j.state.padEnd(7)}  ${time.padStart(9)}  attempt ${j.attempt}/${this.attempts}${what}`;
    });
    return `${title}: ${this.names('done').length} done, ${this.names('failed').length} failed, ${this.names('running').length + this.names('queued').length} not finished\n${rows.join('\n')}\n`;
  }

  /**
   * Ends the batch: the summary on stdout, the failed jobs named on stderr; the exit code (0 all
   * done, 1 a job failed, 130 interrupted).
   */
  finish(title: string, interrupted: boolean, unfinished: string): number {
    clearInterval(this.timer);
    this.io.out(this.summary(title));
    const failed = this.names('failed');
    const open = [...this.names('running'), ...this.names('queued')];
    if (interrupted) {
      this.io.err(`tributary batch: interrupted${open.length ? `; ${unfinished}: ${open.join(', ')}` : ''}.\n`);
      return 130;
    }
    if (failed.length > 0) {
      this.io.err(`tributary batch: ${failed.length} of ${this.jobs.size} jobs failed: ${failed.join(', ')} (why: above, after "FAILED"). The other jobs' outputs are written.\n`);
      return 1;
    }
    return 0;
  }

  private elapsed(name: string): number {
    return (performance.now() - this.jobs.get(name)!.since) / 1000;
  }

  private set(name: string, state: JobState): void {
    this.jobs.set(name, state);
  }

  private line(text: string): void {
    this.io.err(`batch: ${text}\n`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
