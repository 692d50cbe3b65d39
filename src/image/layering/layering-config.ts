import type { ImageLayering } from '../config/model.js';

/** The only strategy apko knows. */
export const LAYERING_STRATEGIES = ['origin'] as const;

/**
 * Whether `layering` asks for several layers. As in apko, an absent or empty `layering: {}`
 * keeps the single layer; anything else must name a known strategy.
 */
export function layeringRequested(layering: ImageLayering | undefined): layering is ImageLayering {
  return layering !== undefined && ((layering.strategy ?? '') !== '' || (layering.budget ?? 0) !== 0);
}

/**
 * What is wrong with a requested `layering`, naming the field; undefined when nothing is. A
 * budget below 1 is refused: apko reads 0 as 1 and fails on a negative one.
 */
export function layeringProblem(
  layering: ImageLayering,
): { field: 'strategy' | 'budget'; message: string } | undefined {
  const strategy = layering.strategy ?? '';
  if (!(LAYERING_STRATEGIES as readonly string[]).includes(strategy))
    return {
      field: 'strategy',
      message: `unknown layering strategy ${JSON.stringify(strategy)}: use ${LAYERING_STRATEGIES.join(', ')}`,
    };
  const budget = layering.budget;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1))
    return { field: 'budget', message: `budget ${budget} must be a whole number of layers, at least 1` };
  return undefined;
}
