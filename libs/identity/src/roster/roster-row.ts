import type { PersonnelCategory } from '@app/catalog';
import type { Organisation } from '../organisations/organisation.entity';
import { USCC_PROBLEM_MESSAGES, usccProblem } from '../organisations/uscc';
import { parseResidentId, RESIDENT_ID_PROBLEM_MESSAGES } from '../trainees/resident-id';
import { COLUMN_BY_FIELD, RosterField } from './roster-columns';

/** A cell as the reader flattened it: text, or a number when Excel stored one. */
export type RosterCell = string | number | undefined;

export interface RosterRowInput {
  /** 1-based row number in the sheet, as the user sees it in Excel. */
  row: number;
  cells: Partial<Record<RosterField, RosterCell>>;
}

export interface RosterProblem {
  field: RosterField;
  /** Column header of the template (zh-CN), so the user finds the cell. */
  column: string;
  reason: string;
}

/** A row that passed every check, ready for TraineeService.prepare. */
export interface RosterPerson {
  row: number;
  name: string;
  /** Normalised (NFKC, upper-case X). */
  idNumber: string;
  phone?: string;
  enterpriseId: string;
  /** Category code of the program. */
  category: string;
  post?: string;
}

export type RosterRowResult = { ok: true; person: RosterPerson } | { ok: false; row: number; name?: string; problems: RosterProblem[] };

/** Enterprises the importing institution may enrol people from (its region), looked up once per import. */
export class EnterpriseDirectory {
  private readonly byUscc = new Map<string, Organisation>();
  private readonly byName = new Map<string, Organisation[]>();

  constructor(enterprises: readonly Organisation[]) {
    for (const e of enterprises) {
      if (e.kind !== 'enterprise') continue;
      if (e.uscc) this.byUscc.set(e.uscc, e);
      const key = nameKey(e.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), e]);
    }
  }

  findByUscc(uscc: string): Organisation | undefined {
    return this.byUscc.get(uscc);
  }

  findByName(name: string): Organisation[] {
    return this.byName.get(nameKey(name)) ?? [];
  }
}

/** Full-width brackets and spaces vary between spreadsheets of the same company name. */
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '');
}

const text = (v: RosterCell): string => (v === undefined ? '' : String(v).normalize('NFKC').trim());

export const NAME_MAX = 50;
export const POST_MAX = 100;
const PHONE = /^1\d{10}$/;

/**
 * Checks roster rows of one import, collecting every problem of a row (not just the first).
 * Keeps the ID numbers seen so far: the second row of the same person in one file is reported
 * against the first, instead of silently overwriting it. No I/O.
 */
export class RosterRowValidator {
  private readonly seen = new Map<string, number>();
  private readonly categoryByKey = new Map<string, PersonnelCategory>();

  constructor(
    private readonly categories: readonly PersonnelCategory[],
    private readonly enterprises: EnterpriseDirectory,
    private readonly now: Date = new Date(),
  ) {
    for (const c of categories) {
      this.categoryByKey.set(c.code.toLowerCase(), c);
      this.categoryByKey.set(nameKey(c.name), c);
    }
  }

  check(input: RosterRowInput): RosterRowResult {
    const problems: RosterProblem[] = [];
    const problem = (field: RosterField, reason: string) => problems.push({ field, column: COLUMN_BY_FIELD[field].header, reason });
    const c = input.cells;

    const name = text(c.name);
    if (!name) problem('name', '请填写姓名');
    else if (name.length > NAME_MAX) problem('name', `姓名不能超过 ${NAME_MAX} 个字符`);
    else if (/\d/.test(name)) problem('name', '姓名不应包含数字，请检查是否与其他列错位');

    let idNumber: string | undefined;
    if (typeof c.idNumber === 'number') {
      problem('idNumber', '身份证号被 Excel 存成了数字（末几位已丢失），请将该列设为“文本”格式后重新填写');
    } else if (!text(c.idNumber)) {
      problem('idNumber', '请填写身份证号');
    } else {
      const id = parseResidentId(text(c.idNumber), this.now);
      if (!id.ok) problem('idNumber', RESIDENT_ID_PROBLEM_MESSAGES[id.problem]);
      else {
        const first = this.seen.get(id.value.number);
        if (first !== undefined) problem('idNumber', `与第 ${first} 行的身份证号重复（同一人在名单中只能出现一次）`);
        else idNumber = id.value.number;
      }
    }

    const phone = text(c.phone) || undefined;
    if (phone !== undefined && !PHONE.test(phone)) problem('phone', '手机号应为 11 位数字，以 1 开头');

    const enterpriseId = this.enterprise(text(c.enterpriseUscc).toUpperCase(), text(c.enterpriseName), problem);

    const categoryRaw = text(c.category);
    const category = this.categoryByKey.get(categoryRaw.toLowerCase()) ?? this.categoryByKey.get(nameKey(categoryRaw));
    if (!categoryRaw) problem('category', '请填写人员类别');
    else if (!category) problem('category', `人员类别须为本项目的：${this.categories.map((x) => x.name).join('、')}`);

    const post = text(c.post) || undefined;
    if (post !== undefined && post.length > POST_MAX) problem('post', `岗位不能超过 ${POST_MAX} 个字符`);

    if (problems.length > 0 || !idNumber || !enterpriseId || !category) return { ok: false, row: input.row, name: name || undefined, problems };
    // Only a valid row claims its ID number: a broken first row must not make a corrected copy below it a "duplicate".
    this.seen.set(idNumber, input.row);
    return { ok: true, person: { row: input.row, name, idNumber, phone, enterpriseId, category: category.code, post } };
  }

  private enterprise(uscc: string, name: string, problem: (f: RosterField, r: string) => void): string | undefined {
    if (!uscc && !name) {
      problem('enterpriseUscc', '请填写企业统一社会信用代码或企业名称');
      return undefined;
    }
    if (uscc) {
      const p = usccProblem(uscc);
      if (p) {
        problem('enterpriseUscc', USCC_PROBLEM_MESSAGES[p]);
        return undefined;
      }
      const found = this.enterprises.findByUscc(uscc);
      if (!found) {
        problem('enterpriseUscc', '本机构所在地区未登记该统一社会信用代码的企业');
        return undefined;
      }
      if (name && nameKey(name) !== nameKey(found.name)) {
        problem('enterpriseName', `企业名称与统一社会信用代码不符（平台登记的名称为“${found.name}”）`);
        return undefined;
      }
      return found.id;
    }
    const matches = this.enterprises.findByName(name);
    if (matches.length === 0) problem('enterpriseName', `本机构所在地区未登记名为“${name}”的企业`);
    else if (matches.length > 1) problem('enterpriseName', '有多家同名企业，请填写企业统一社会信用代码');
    else return matches[0].id;
    return undefined;
  }
}
