import { isIsoDate } from '@localstore/common';

/** Seed used when none is given: any fixed number keeps the demo the same from run to run. */
export const DEFAULT_SEED = 1;

export const SEED_USAGE = `Usage: node cell-api/dist/scripts/seed-demo.js [--reset] [--scale=<0..1>] [--seed=<n>] [--end=<date-time>]

Creates the demo tenants (pho-bo-hanoi, ca-phe-sua-da, banh-mi-co-ba) with months of sales,
and tops up those already seeded with the sales since their last run, from their own seed
and scale. Sales stop on the hour, 20 minutes before the end at the latest (at 14:00 for an
end at 14:25, at 13:00 for one at 14:10), so that every void and wallet payment written has
already happened by then.

  --reset        delete the demo tenants' rows and seed them again
  --scale=<x>    multiply order volume by x, above 0 and at most 1 (default 1: about a million orders)
  --seed=<n>     random seed, a whole number from 0 to 4294967295 (default ${DEFAULT_SEED})
  --end=<time>   end of the history, ISO 8601 with a zone, e.g. 2025-06-01T14:00:00+07:00 (default: now)
  --help         show this
`;

export interface SeedCliOptions {
  help: boolean;
  reset: boolean;
  scale: number;
  seed: number;
  end: Date;
}

/** A command line the seeder refuses; the message names the argument. */
export class SeedArgumentError extends Error {}

/** A date-time with an explicit zone: a bare local time would depend on the machine's zone. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseSeedArguments(argv: readonly string[], now: Date): SeedCliOptions {
  const options: SeedCliOptions = { help: false, reset: false, scale: 1, seed: DEFAULT_SEED, end: now };
  for (const argument of argv) {
    const [flag, value] = splitArgument(argument);
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--reset':
        if (value !== undefined) throw new SeedArgumentError(`--reset takes no value (got "${argument}")`);
        options.reset = true;
        break;
      case '--scale': {
        const scale = Number(value);
        if (value === undefined || value.trim() === '' || !(scale > 0 && scale <= 1)) {
          throw new SeedArgumentError(`--scale must be a number above 0 and at most 1 (got "${value ?? ''}")`);
        }
        options.scale = scale;
        break;
      }
      case '--seed': {
        const seed = Number(value);
        if (value === undefined || !/^\d{1,10}$/.test(value) || seed > 0xffff_ffff) {
          throw new SeedArgumentError(`--seed must be a whole number from 0 to 4294967295 (got "${value ?? ''}")`);
        }
        options.seed = seed;
        break;
      }
      case '--end': {
        const end = new Date(value ?? '');
        // Date would quietly roll 30 February over into March; refuse it instead.
        if (value === undefined || !ISO_DATE_TIME.test(value) || !isIsoDate(value.slice(0, 10)) || Number.isNaN(end.getTime())) {
          throw new SeedArgumentError(`--end must be an ISO date-time with a zone, e.g. 2025-06-01T14:00:00+07:00 (got "${value ?? ''}")`);
        }
        // Sales after now would show up on today's dashboard before they happened.
        if (end.getTime() > now.getTime()) throw new SeedArgumentError(`--end must not be in the future (got "${value}")`);
        options.end = end;
        break;
      }
      default:
        throw new SeedArgumentError(`unknown argument "${argument}"`);
    }
  }
  return options;
}

function splitArgument(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return equals < 0 ? [argument, undefined] : [argument.slice(0, equals), argument.slice(equals + 1)];
}
