// Targets that can be rebuilt in a worker thread: { module, export, args } names an ES module and
// a factory function exported by it; `factory(...args)` returns the LogDensity. (Plumbing: no
// algorithm here, so no references; the factory is this package's stand-in for Stan's compiled
// model class, which every chain instantiates from the same data.)

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertLogDensity } from './chain.js';
import { SamplerError } from './errors.js';
import type { LogDensity, Target, TargetSpec } from './types.js';

export function isTargetSpec(target: Target): target is TargetSpec {
  return typeof target === 'object' && target !== null && typeof (target as TargetSpec).module === 'string' && !('logDensityAndGradient' in target);
}

/** Validates a TargetSpec and returns the module's file URL. */
export function targetModuleUrl(spec: TargetSpec): string {
  if (spec.module.startsWith('file:')) return spec.module;
  if (!isAbsolute(spec.module)) {
    throw new SamplerError(
      'INVALID_TARGET',
      `TargetSpec.module is "${spec.module}", a relative path; give an absolute path or a file: URL (e.g. fileURLToPath(new URL('./model.js', import.meta.url))).`,
    );
  }
  return pathToFileURL(spec.module).href;
}

export function assertTargetSpec(spec: TargetSpec): void {
  targetModuleUrl(spec);
  if (typeof spec.export !== 'string' || spec.export.length === 0) {
    throw new SamplerError('INVALID_TARGET', `TargetSpec.export is ${JSON.stringify(spec.export)}; give the name of the factory function the module exports.`);
  }
  if (spec.args !== undefined && !Array.isArray(spec.args)) {
    throw new SamplerError('INVALID_TARGET', 'TargetSpec.args must be an array of structured-cloneable values (the factory arguments).');
  }
}

/** Does loading this module need the tsx loader (a TypeScript source)? */
export function isTypeScriptModule(pathOrUrl: string): boolean {
  return /\.[cm]?tsx?$/.test(pathOrUrl.split('?')[0]!);
}

/** Imports the module and calls the factory: the LogDensity of a TargetSpec. */
export async function loadTarget(spec: TargetSpec): Promise<LogDensity> {
  assertTargetSpec(spec);
  const url = targetModuleUrl(spec);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new SamplerError('INVALID_TARGET', `Could not import TargetSpec.module ${spec.module}: ${(error as Error).message}`, { cause: error });
  }
  const factory = mod[spec.export];
  if (typeof factory !== 'function') {
    const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new SamplerError(
      'INVALID_TARGET',
      `Module ${spec.module} has no exported function "${spec.export}" (exported functions: ${names.join(', ') || 'none'}).`,
    );
  }
  const target: unknown = await (factory as (...args: unknown[]) => unknown)(...(spec.args ?? []));
  assertLogDensity(target, `${spec.export}(...args)`);
  return target;
}
