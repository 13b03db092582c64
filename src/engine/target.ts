import { editionOf } from '../domain/es-edition.js';
import type { EsEdition } from '../domain/es-edition.js';
import type { CompiledRule } from './compiled-rule.js';

/** Whether something that needs `needed` (a rule's or fix's `minTarget`, absent: nothing) runs on `target`. */
export function fitsTarget(needed: string | undefined, target: EsEdition): boolean {
  if (needed === undefined) return true;
  const edition = editionOf(needed);
  return edition === null || edition <= target;
}

/**
 * The rule as it applies to a project targeting `target`: null when the rule's own advice needs a newer
 * edition; otherwise the rule with its fix kept, swapped for its `fallback` (the older spelling), or
 * removed, whichever is the newest the target allows. The finding stays when only the fix is too new.
 */
export function ruleForTarget(rule: CompiledRule, target: EsEdition): CompiledRule | null {
  const { definition } = rule;
  if (!fitsTarget(definition.minTarget, target)) return null;
  const fix = definition.fix;
  if (!fix || fitsTarget(fix.minTarget, target)) return rule;
  const { fix: _tooNew, ...withoutFix } = definition;
  const fallback = fix.fallback && fitsTarget(fix.fallback.minTarget, target) ? fix.fallback : undefined;
  return { ...rule, definition: fallback ? { ...withoutFix, fix: fallback } : withoutFix };
}

/** The rules that apply under `target` (absent: all of them, unchanged). */
export function rulesForTarget(rules: readonly CompiledRule[], target: EsEdition | undefined): CompiledRule[] {
  if (target === undefined) return [...rules];
  return rules.flatMap((rule) => {
    const targeted = ruleForTarget(rule, target);
    return targeted ? [targeted] : [];
  });
}

/** What a target changes in a rule set, by rule id: rules left out, fixes withheld, fixes in their older form. */
export interface TargetEffects {
  readonly rulesLeftOut: readonly string[];
  readonly fixesWithheld: readonly string[];
  readonly fixesInOlderForm: readonly string[];
}

export function targetEffects(rules: readonly CompiledRule[], target: EsEdition | undefined): TargetEffects {
  const effects = { rulesLeftOut: [] as string[], fixesWithheld: [] as string[], fixesInOlderForm: [] as string[] };
  if (target === undefined) return effects;
  for (const rule of rules) {
    const targeted = ruleForTarget(rule, target);
    const { id, fix } = rule.definition;
    if (!targeted) effects.rulesLeftOut.push(id);
    else if (fix && !targeted.definition.fix) effects.fixesWithheld.push(id);
    else if (fix && targeted.definition.fix !== fix) effects.fixesInOlderForm.push(id);
  }
  return effects;
}

/**
 * The fix templates a target cannot run (`Object.hasOwn($OBJ, $KEY)` below ES2022): a learned template
 * that is a copy of one (learned from approved rule fixes, maybe in another project) is declined too.
 */
export function templatesAboveTarget(rules: readonly CompiledRule[], target: EsEdition | undefined): string[] {
  if (target === undefined) return [];
  return rules.flatMap(({ definition: { fix } }) => (fix && !fitsTarget(fix.minTarget, target) ? [fix.template] : []));
}
