import { expect, test } from 'vitest';
import * as api from '../src/index.js';

test('the public surface changes only on purpose', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_TARGET",
      "DataValidationError",
      "FOURIER_ORDER",
      "LIFT_TEST_COLUMNS",
      "MIN_ROWS_PER_MARKET",
      "NUM_FOURIER_FEATURES",
      "SEASONALITY_PERIOD_WEEKS",
      "TributaryError",
      "addWeeks",
      "buildPanel",
      "formatSummary",
      "fourierFeatures",
      "isIsoDate",
      "parseLiftTests",
      "parseMarketingCsv",
      "readLiftTests",
      "readMarketingCsv",
      "summarizeDataset",
      "weeksBetween",
    ]
  `);
});
