/**
 * A structured-cloneable description of a model, and the factory that rebuilds the model from
 * it inside a sampler worker thread (`{ module, export: 'buildModelFromSpec', args: [spec] }`).
 *
 * The spec holds plain data only (a CSV text or a Panel of typed arrays, data options, the
 * model kind and options), so `postMessage` can clone it. `MODEL_MODULE_URL` is the file URL
 * of this package's entry module: `dist/index.js` when running the built package (tsup bundles
 * everything into it), `src/index.ts` when running from sources (tests, tsx).
 */
import { buildPanel, parseMarketingCsv, type DataOptions } from '@tributary/data';
import { ModelError } from './errors.js';
import type { ModelKind } from './layout.js';
import { buildModel, type Model, type SamplingTarget } from './model.js';
import type { BuildModelOptions } from './options.js';
import type { PanelData } from './panel.js';


export interface ModelSpec {
  /** The CSV text (parsed with `dataOptions`); give either this or `panel`. */
  readonly csvText?: string;
  /** A Panel (or a structured clone of one); takes precedence over `csvText`. */
  readonly panel?: PanelData;
  /** Options of `parseMarketingCsv` (target, channels, controls). */
  readonly dataOptions?: DataOptions;
  readonly kind: ModelKind;
  readonly options?: Omit<BuildModelOptions, 'kind'>;
  /** What the sampler's target samples: `model.sampling` (default) or the model's own θ. */
  readonly coordinates?: 'sampling' | 'model';
}

const here = import.meta.url;

/** File URL of the module that exports `buildModelFromSpec` (this package's entry). */
export const MODEL_MODULE_URL: string = new URL(here.endsWith('.ts') ? './index.ts' : './index.js', here).href;

/** The worker-target descriptor the sampler accepts: `{ module, export, args }`. */
export function modelWorkerTarget(spec: ModelSpec): {
  module: string;
  export: 'buildSamplingTargetFromSpec';
  args: [ModelSpec];
} {
  return { module: MODEL_MODULE_URL, export: 'buildSamplingTargetFromSpec', args: [spec] };
}

/**
 * What `tributary fit` samples (in a worker): `model.sampling` of the model described by
 * `spec`, or the model itself (its θ coordinates) with `coordinates: 'model'`.
 */
export function buildSamplingTargetFromSpec(spec: ModelSpec): SamplingTarget | Model {
  const model = buildModelFromSpec(spec);
  if (spec.coordinates === undefined || spec.coordinates === 'sampling') return model.sampling;
  if (spec.coordinates === 'model') return model;
  throw new ModelError('MODEL_INVALID_OPTIONS', `buildSamplingTargetFromSpec: coordinates must be 'sampling' or 'model', got ${JSON.stringify(spec.coordinates)}`);
}

/** Builds the model described by `spec` (plain data; safe to call in a worker). */
export function buildModelFromSpec(spec: ModelSpec): Model {
  if (spec === null || typeof spec !== 'object') {
    throw new ModelError('MODEL_INVALID_OPTIONS', 'buildModelFromSpec: spec must be an object { csvText | panel, kind, ... }');
  }
  let panel: PanelData;
  if (spec.panel !== undefined) panel = spec.panel;
  else if (typeof spec.csvText === 'string') panel = buildPanel(parseMarketingCsv(spec.csvText, spec.dataOptions));
  else throw new ModelError('MODEL_INVALID_OPTIONS', 'buildModelFromSpec: spec needs either csvText (string) or panel');
  return buildModel(panel, { ...spec.options, kind: spec.kind });
}
