// Live sampling progress, one line per chain: iteration, phase, divergences, step size. On a
// terminal the lines are redrawn in place; otherwise a line is printed each time a chain passes
// another 10 % (so logs stay short).
export interface ChainProgress {
  chain: number;
  iteration: number;
  numIterations: number;
  phase: 'warmup' | 'sampling';
  divergences: number;
  stepSize: number;
  treedepth: number;
}

export class ProgressDisplay {
  private readonly rows: (ChainProgress | undefined)[];
  private readonly lastDecile: number[];
  private drawn = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly isTty: boolean,
    numChains: number,
    private readonly label: string,
  ) {
    this.rows = new Array<ChainProgress | undefined>(numChains).fill(undefined);
    this.lastDecile = new Array<number>(numChains).fill(-1);
  }

  update(p: ChainProgress): void {
    this.rows[p.chain] = p;
    if (this.isTty) {
      this.redraw();
      return;
    }
    const decile = Math.floor((10 * p.iteration) / p.numIterations);
    if (decile > this.lastDecile[p.chain]!) {
      this.lastDecile[p.chain] = decile;
      this.write(`${formatLine(this.label, p)}\n`);
    }
  }

  /** Leaves the final state on screen. */
  finish(): void {
    if (this.isTty) this.redraw();
  }

  private redraw(): void {
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.rows.forEach((p, chain) => {
      text += `\x1b[2K${p ? formatLine(this.label, p) : `${this.label} chain ${chain + 1}: starting`}\n`;
    });
    this.drawn = this.rows.length;
    this.write(text);
  }
}

function formatLine(label: string, p: ChainProgress): string {
  const width = 24;
  const filled = Math.round((width * p.iteration) / p.numIterations);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const pct = ((100 * p.iteration) / p.numIterations).toFixed(0).padStart(3);
  return (
    `${label} chain ${p.chain + 1} [${bar}] ${pct}% ${String(p.iteration).padStart(5)}/${p.numIterations} ` +
    `${p.phase.padEnd(8)} divergences ${p.divergences}  step size ${p.stepSize.toPrecision(3)}  tree depth ${p.treedepth}`
  );
}
