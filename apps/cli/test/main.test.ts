import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/main.js';
import { run, tempDir } from './helpers.js';

describe('tributary', () => {
  it('lists every command in the main help', async () => {
    const res = await run(['--help'], await tempDir());
    expect(res.code).toBe(0);
    for (const c of COMMANDS) expect(res.stdout).toContain(c.name);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const res = await run(['frobnicate'], await tempDir());
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('frobnicate');
  });

  it('has --help on every command, naming every option', async () => {
    for (const c of COMMANDS) {
      const res = await run([c.name, '--help'], await tempDir());
      expect(res.code).toBe(0);
      for (const o of Object.keys(c.options)) expect(res.stdout).toContain(`--${o}`);
    }
  });
});
