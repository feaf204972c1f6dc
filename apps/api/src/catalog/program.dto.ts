import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Deadline, Program } from '@app/catalog';

export class DeadlineDto implements Deadline {
  @ApiProperty({ example: '2025-04-30' }) date!: string;
  @ApiProperty({ example: '2025年4月底前实现培训全覆盖' }) description!: string;
  @ApiProperty({ example: '伊应急函〔2025〕41号 §三(二)', description: '出处：文件文号与段落' }) source!: string;
}

export class JurisdictionDto {
  @ApiProperty({ example: '230700' }) regionCode!: string;
  @ApiProperty({ example: '黑龙江省伊春市' }) name!: string;
}

export class CategoryDto {
  @ApiProperty({ example: 'team_leader' }) code!: string;
  @ApiProperty({ example: '一线班组长（含车间主任、车队长）' }) name!: string;
}

export class ElectiveTargetSummaryDto {
  @ApiProperty({ example: '*' }) industry!: string;
  @ApiProperty({ example: 'team_leader' }) category!: string;
  @ApiProperty({ example: 2 }) minHours!: number;
}

/** What the console lists; the full rule set is served with the program detail. */
export class ProgramSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'YC-2025-MINING' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: JurisdictionDto }) jurisdiction!: JurisdictionDto;
  @ApiProperty({ type: [String] }) industries!: string[];
  @ApiProperty({ type: [CategoryDto] }) categories!: CategoryDto[];
  @ApiProperty({ example: 45, description: '每学时分钟数' }) minutesPerHour!: number;
  @ApiProperty({ example: '2025-01-01' }) startDate!: string;
  @ApiProperty({ example: '2025-12-31' }) endDate!: string;
  @ApiProperty({ type: [DeadlineDto] }) deadlines!: DeadlineDto[];
  @ApiPropertyOptional({ example: '2025-04-30', description: '线上课程完成截止日期' }) completionDeadline?: string;
  @ApiProperty({ type: [ElectiveTargetSummaryDto], description: '各行业×人员类别的选修最低学时（* 表示全部）' })
  electiveTargets!: ElectiveTargetSummaryDto[];

  static from(p: Program): ProgramSummaryDto {
    const { id, code, name, jurisdiction, industries, categories, minutesPerHour, startDate, endDate, deadlines, completionDeadline, electiveTargets } = p;
    return { id, code, name, jurisdiction, industries, categories, minutesPerHour, startDate, endDate, deadlines, completionDeadline, electiveTargets };
  }
}

export class ProgramListDto {
  @ApiProperty({ type: [ProgramSummaryDto] }) items!: ProgramSummaryDto[];
}
