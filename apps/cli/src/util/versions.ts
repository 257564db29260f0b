import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Reads package.json files upwards from `dir` until one is named `name`; its version, or undefined. */
function versionAbove(dir: string, name: string): string | undefined {
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json at this level
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

let cli: string | undefined;

/**
 * This command line's own version: the `tributary` package.json above this module (dist/bin.js
 * when built, src/util/ when run from source). A package cannot resolve itself by name, which is
 * why manifests used to say "tributary unknown".
 */
export function cliVersion(): string {
  cli ??= versionAbove(dirname(fileURLToPath(import.meta.url)), 'tributary') ?? 'unknown';
  return cli;
}

/** Version of a package: this CLI's own, or an installed dependency found from its resolved entry. */
export function packageVersion(name: string): string {
  if (name === 'tributary') return cliVersion();
  try {
    return versionAbove(dirname(fileURLToPath(import.meta.resolve(name))), name) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
