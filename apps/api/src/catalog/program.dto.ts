import { ApiProperty } from '@nestjs/swagger';
import type { Deadline, Program } from '@app/catalog';

export class DeadlineDto implements Deadline {
  @ApiProperty({ example: '2025-04-30' }) date!: string;
  @ApiProperty({ example: '2025年4月底前实现培训全覆盖' }) description!: string;
  @ApiProperty({ example: '002_4d3c394a33d4593d.txt §三(二)' }) source!: string;
}

export class JurisdictionDto {
  @ApiProperty({ example: '230700' }) regionCode!: string;
  @ApiProperty({ example: '黑龙江省伊春市' }) name!: string;
}

export class CategoryDto {
  @ApiProperty({ example: 'team_leader' }) code!: string;
  @ApiProperty({ example: '一线班组长（含车间主任、车队长）' }) name!: string;
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

  static from(p: Program): ProgramSummaryDto {
    const { id, code, name, jurisdiction, industries, categories, minutesPerHour, startDate, endDate, deadlines } = p;
    return { id, code, name, jurisdiction, industries, categories, minutesPerHour, startDate, endDate, deadlines };
  }
}

export class ProgramListDto {
  @ApiProperty({ type: [ProgramSummaryDto] }) items!: ProgramSummaryDto[];
}
