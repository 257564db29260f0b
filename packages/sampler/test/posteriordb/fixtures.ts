// Loads the posteriordb fixtures copied into test/fixtures/posteriordb/<name>/ (see the README
// there for provenance) and checks the parts of reference.json the comparison relies on.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/posteriordb/', import.meta.url));

export interface ReferenceParameter {
  mean: number;
  sd: number;
  q5: number;
  q50: number;
  q95: number;
  pdb_mcse_mean: number;
  ref_diagnostics: { ess_bulk: number; ess_tail: number; rhat: number };
}

export interface Reference {
  posterior_name: string;
  parameter_names: string[];
  parameters: Record<string, ReferenceParameter>;
  reference_method: { method_arguments: Record<string, unknown> };
}

export interface PosteriordbFixture {
  name: string;
  data: Record<string, unknown>;
  reference: Reference;
}

function readJson(name: string, file: string): unknown {
  const path = `${FIXTURES_DIR}${name}/${file}`;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`posteriordb fixture ${path} could not be read (${String(error)}); copy it from ../shared/reference/posteriordb/${name}/.`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkReference(name: string, raw: unknown): Reference {
  const where = `posteriordb fixture ${name}/reference.json`;
  if (!isObject(raw) || raw['posterior_name'] !== name) throw new Error(`${where}: posterior_name is not "${name}".`);
  const names = raw['parameter_names'];
  const params = raw['parameters'];
  if (!Array.isArray(names) || !isObject(params)) throw new Error(`${where}: parameter_names or parameters missing.`);
  for (const p of names) {
    const entry = params[String(p)];
    if (!isObject(entry)) throw new Error(`${where}: no summary for parameter "${String(p)}".`);
    for (const field of ['mean', 'sd', 'q5', 'q50', 'q95', 'pdb_mcse_mean'] as const) {
      if (typeof entry[field] !== 'number' || !Number.isFinite(entry[field])) {
        throw new Error(`${where}: parameters["${String(p)}"].${field} is not a finite number.`);
      }
    }
  }
  return raw as unknown as Reference;
}

export function loadPosteriordb(name: string): PosteriordbFixture {
  const data = readJson(name, 'data.json');
  if (!isObject(data)) throw new Error(`posteriordb fixture ${name}/data.json: expected a JSON object.`);
  return { name, data, reference: checkReference(name, readJson(name, 'reference.json')) };
}
