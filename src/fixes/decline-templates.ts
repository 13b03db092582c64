import type { FixStrategy } from './strategies.js';

/**
 * The strategies, each declining a proposal made from one of the `refused` templates: a learned copy of
 * a rule fix that the project's target cannot run is as wrong there as the rule's own (see docs/target.md).
 */
export function decliningTemplates(strategies: readonly FixStrategy[], refused: readonly string[]): readonly FixStrategy[] {
  if (refused.length === 0) return strategies;
  const set = new Set(refused);
  return strategies.map((strategy) => ({
    name: strategy.name,
    propose: async (context) => {
      const proposal = await strategy.propose(context);
      return proposal && proposal.template !== null && set.has(proposal.template) ? null : proposal;
    },
  }));
}
