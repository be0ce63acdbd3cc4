// The strategies' names, apart from strategies.ts so the grade command can check
// --strategy without loading the shim.

export type StrategyName = 'random' | 'pct' | 'mixed';
/** mixed (the default): even runs a random walk, odd runs PCT; shallow races fall to the walk, deep ones to PCT. */
export const STRATEGIES: readonly StrategyName[] = ['mixed', 'pct', 'random'];
