// Errors thrown by @tributary/synthetic: only for a bad scenario configuration or seed.
import { TributaryError } from '@tributary/data';

/** Error code carried by every {@link ScenarioConfigError}. */
export const SCENARIO_CONFIG_ERROR_CODE = 'SCENARIO_INVALID' as const;

/** A scenario configuration (or seed) that cannot generate valid data. Lists every problem. */
export class ScenarioConfigError extends TributaryError {
  /** One sentence per problem, each naming the field and the valid range. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[]) {
    super(SCENARIO_CONFIG_ERROR_CODE, message);
    this.name = 'ScenarioConfigError';
    this.problems = problems;
  }
}
