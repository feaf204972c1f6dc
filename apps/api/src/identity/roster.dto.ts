import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsMongoId, IsOptional } from 'class-validator';
import { ROSTER_COLUMNS } from '@app/identity';
import type { RosterImportReport, RosterProblem, RosterRowError } from '@app/identity';

const FIELDS = ROSTER_COLUMNS.map((c) => c.field);

export class RosterProgramQueryDto {
  @ApiProperty({ description: '培训项目标识（模板的人员类别下拉列表、导出的学员均取自该项目）' })
  @IsMongoId({ message: '培训项目标识不正确' })
  programId!: string;
}

/** The multipart text fields next to the file. */
export class RosterImportDto {
  @ApiProperty({ description: '导入到哪个培训项目' })
  @IsMongoId({ message: '培训项目标识不正确' })
  programId!: string;

  @ApiPropertyOptional({ description: '仅管理员填写（代哪个培训机构导入）；培训机构用户导入的学员总是属于本机构' })
  @IsOptional()
  @IsMongoId({ message: '培训机构标识不正确' })
  institutionId?: string;
}

export class RosterProblemDto implements RosterProblem {
  @ApiProperty({ enum: FIELDS, description: '字段代码（idNumber 等），便于前端定位' }) field!: RosterProblem['field'];
  @ApiProperty({ example: '身份证号', description: '模板中的列名' }) column!: string;
  @ApiProperty({ example: '身份证号校验位不正确', description: '原因（中文）' }) reason!: string;
}

export class RosterRowErrorDto implements RosterRowError {
  @ApiProperty({ example: 7, description: 'Excel 中的行号（表头为第 1 行）' }) row!: number;
  @ApiPropertyOptional({ example: '张三', description: '该行填写的姓名（便于辨认）' }) name?: string;
  @ApiProperty({ type: [RosterProblemDto], description: '该行的全部问题' }) problems!: RosterProblemDto[];
}

export class RosterImportReportDto implements RosterImportReport {
  @ApiProperty() programId!: string;
  @ApiProperty({ description: '文件中的数据行数（不含表头与空行）' }) totalRows!: number;
  @ApiProperty({ description: '新登记的学员数' }) created!: number;
  @ApiProperty({ description: '已登记且按名单更新了信息的学员数' }) updated!: number;
  @ApiProperty({ description: '已登记且信息无变化的学员数（重复导入同一文件时全部计入此项）' }) unchanged!: number;
  @ApiProperty({ description: '未导入的行数（每行都在 errors 中列出）' }) rejected!: number;
  @ApiProperty({ type: [RosterRowErrorDto], description: '全部未导入的行，按行号排序' }) errors!: RosterRowErrorDto[];
  @ApiProperty({ description: '服务器处理耗时（毫秒）' }) durationMs!: number;
}
