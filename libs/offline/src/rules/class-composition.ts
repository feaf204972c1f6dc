import type { ClassSizeRule, PersonnelCategory } from '@app/catalog';

/** The documents' source of the composition and size rules, by the seed file users can open. */
export const COMPOSITION_SOURCE = '鲁人社函〔2023〕94号 §三(三)（001_0f59b514324dcfca.txt）';

/** What a class is formed around: one personnel category and one enterprise type (industry). */
export interface ClassComposition {
  readonly category: string;
  readonly industry: string;
}

export interface Candidate {
  readonly category: string;
  /** The trainee's enterprise industry; undefined when the enterprise names none. */
  readonly industry?: string;
}

export type CompositionProblem = { readonly rule: 'category' | 'industry'; readonly message: string; readonly source: string };

const nameOf = (categories: readonly PersonnelCategory[], code: string) => categories.find((c) => c.code === code)?.name ?? code;

/**
 * Why a trainee may not sit in the class, or undefined. Mixing personnel categories or enterprise
 * types in one class is 严禁 ("大合堂", 001_… §三(三)): a strict rule, so it blocks, never warns.
 */
export function compositionProblem(cls: ClassComposition, who: Candidate, categories: readonly PersonnelCategory[]): CompositionProblem | undefined {
  if (who.category !== cls.category) {
    return {
      rule: 'category',
      message: `本班次为“${nameOf(categories, cls.category)}”班，该学员为“${nameOf(categories, who.category)}”：严禁不同培训对象混合编班（“大合堂”）`,
      source: COMPOSITION_SOURCE,
    };
  }
  if (who.industry !== cls.industry) {
    return {
      rule: 'industry',
      message: `本班次面向“${cls.industry}”行业企业，该学员所在企业为“${who.industry ?? '未登记行业'}”：须按企业类型分类设置班次`,
      source: COMPOSITION_SOURCE,
    };
  }
  return undefined;
}

/** What adding people to a class of `size` does under the program's cap for the class's category. */
export type SizeDecision =
  | { readonly kind: 'within'; readonly cap?: number }
  /** Over a 原则上/一般 cap with a written justification: allowed, recorded, flagged for auditors. */
  | { readonly kind: 'flagged'; readonly cap: number; readonly source: string }
  | { readonly kind: 'justification-required'; readonly cap: number; readonly source: string }
  | { readonly kind: 'blocked'; readonly cap: number; readonly source: string };

/**
 * The class-size rule of the program for `category` applied to a class that would have `size`
 * trainees. No rule for the category: no cap (rule sets are data; a program may set none).
 */
export function sizeDecision(rules: readonly ClassSizeRule[], category: string, size: number, justification: string | undefined): SizeDecision {
  const rule = rules.find((r) => r.category === category);
  if (!rule) return { kind: 'within' };
  if (size <= rule.max) return { kind: 'within', cap: rule.max };
  if (rule.strictness === 'strict') return { kind: 'blocked', cap: rule.max, source: rule.source };
  return justification?.trim() ? { kind: 'flagged', cap: rule.max, source: rule.source } : { kind: 'justification-required', cap: rule.max, source: rule.source };
}

export const CLASS_STATUSES = ['draft', 'published', 'in_progress', 'finished'] as const;
export type ClassStatus = (typeof CLASS_STATUSES)[number];

export const CLASS_STATUS_NAMES: Record<ClassStatus, string> = { draft: '草稿', published: '已发布', in_progress: '进行中', finished: '已结束' };

/** Classes move forward one step at a time: a finished class is an archive, not something to reopen. */
export function mayMoveTo(from: ClassStatus, to: ClassStatus): boolean {
  return CLASS_STATUSES.indexOf(to) === CLASS_STATUSES.indexOf(from) + 1;
}
