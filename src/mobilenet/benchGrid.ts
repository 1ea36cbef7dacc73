/** Named benchmark grids. */
export type BenchGridName = 'paper' | 'quick';

/** Every grid name, for option parsing and help. */
export const BENCH_GRID_NAMES: readonly BenchGridName[] = ['paper', 'quick'];

/** Which models a benchmark builds and how often it runs each. */
export interface BenchGrid {
  readonly name: BenchGridName;
  /** Width multipliers, largest first. */
  readonly alphas: readonly number[];
  /** Input resolutions, largest first. */
  readonly resolutions: readonly number[];
  /** The configuration also built with standard convolutions, for the speed ratio. */
  readonly comparison: { readonly alpha: number; readonly resolution: number };
  /** Untimed runs before timing each model. */
  readonly warmupRuns: number;
  /** Timed runs per model. */
  readonly runs: number;
}

/**
 * The grid of a name: 'paper' is the paper's 16 models (alpha {1, 0.75, 0.5, 0.25} x resolution
 * {224, 192, 160, 128}) with the standard-convolution comparison at 1.0-224 (Table 4); 'quick' is
 * 4 small models with the comparison at 0.25-128, about a second on two cores, for CI.
 */
export function benchGrid(name: BenchGridName): BenchGrid {
  switch (name) {
    case 'paper':
      return {
        name,
        alphas: [1, 0.75, 0.5, 0.25],
        resolutions: [224, 192, 160, 128],
        comparison: { alpha: 1, resolution: 224 },
        warmupRuns: 3,
        runs: 30,
      };
    case 'quick':
      return {
        name,
        alphas: [0.5, 0.25],
        resolutions: [160, 128],
        comparison: { alpha: 0.25, resolution: 128 },
        warmupRuns: 3,
        runs: 20,
      };
  }
}

/** Parses a grid name from the command line. @throws RangeError naming the allowed values. */
export function parseBenchGridName(value: string): BenchGridName {
  const found = BENCH_GRID_NAMES.find((n) => n === value);
  if (found === undefined) {
    throw new RangeError(`'grid' must be one of ${BENCH_GRID_NAMES.join(', ')}, got '${value}'`);
  }
  return found;
}
