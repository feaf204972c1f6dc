export * from './rules/rule-set';
export { ruleSetProblems, RuleSetProblem } from './rules/rule-set-validation';
export { presetFor, DEFAULT_PASS_MARK } from './rules/presets';
export * from './rules/verdict';
