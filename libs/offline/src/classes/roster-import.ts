import { Injectable } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import { AuthUser, maskIdNumber, parseResidentId, RESIDENT_ID_PROBLEM_MESSAGES, tenantScopeOf, TraineeRepository } from '@app/identity';
import { AppError } from '@app/platform';
import { offlineError } from '../offline.errors';
import { ClassService } from './class.service';

export interface ClassRosterRowError {
  /** Row number as the spreadsheet shows it. */
  row: number;
  /** Masked: the report is shown and may be exported. */
  idNumber: string;
  code: string;
  message: string;
}

export interface ClassRosterImportReport {
  added: number;
  rejected: number;
  errors: ClassRosterRowError[];
}

const MAX_ROWS = 500;
const ID_HEADER = /身份证/;

/** The ID numbers of a sheet whose header row has a 身份证号 column, with their row numbers. */
export async function readIdColumn(xlsx: Buffer): Promise<{ row: number; value: string }[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  } catch {
    throw offlineError('ROSTER_FILE_INVALID');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw offlineError('ROSTER_FILE_INVALID');
  const header = sheet.getRow(1);
  let column = 0;
  header.eachCell((cell, n) => {
    if (!column && ID_HEADER.test(String(cell.value ?? ''))) column = n;
  });
  if (!column) throw offlineError('ROSTER_FILE_INVALID');
  const out: { row: number; value: string }[] = [];
  for (let r = 2; r <= sheet.rowCount && out.length <= MAX_ROWS; r++) {
    const value = String(sheet.getRow(r).getCell(column).text ?? '').trim();
    if (value) out.push({ row: r, value });
  }
  if (out.length > MAX_ROWS) throw offlineError('ROSTER_FILE_INVALID', { maxRows: MAX_ROWS }, { message: `花名册一次最多导入 ${MAX_ROWS} 人` });
  return out;
}

/**
 * A class roster from a spreadsheet of ID numbers of the institution's registered trainees: each
 * row goes through the same use case as adding one person (its own commit, its own record), and
 * every row refused says why — an import is many additions, not one that stands or falls together.
 */
@Injectable()
export class ClassRosterImport {
  constructor(
    private readonly classes: ClassService,
    private readonly trainees: TraineeRepository,
  ) {}

  async import(user: AuthUser, classId: string, xlsx: Buffer, justification?: string): Promise<ClassRosterImportReport> {
    const cls = await this.classes.classOf(tenantScopeOf(user), classId);
    const rows = await readIdColumn(xlsx);
    const errors: ClassRosterRowError[] = [];
    let added = 0;
    for (const { row, value } of rows) {
      const fail = (code: string, message: string) => errors.push({ row, idNumber: maskIdNumber(value), code, message });
      const id = parseResidentId(value);
      if (!id.ok) {
        fail('ID_NUMBER_INVALID', RESIDENT_ID_PROBLEM_MESSAGES[id.problem]);
        continue;
      }
      const found = await this.trainees.list(tenantScopeOf(user), { programId: cls.programId, idNumber: id.value.number }, { offset: 0, limit: 1 });
      const trainee = found.items[0];
      if (!trainee) {
        fail('TRAINEE_NOT_FOUND', '本机构在该培训项目中没有登记此身份证号的学员，请先登记学员');
        continue;
      }
      try {
        await this.classes.addTrainee(user, classId, trainee.id, justification);
        added++;
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        fail(e.code, e.message);
      }
    }
    return { added, rejected: errors.length, errors };
  }
}
