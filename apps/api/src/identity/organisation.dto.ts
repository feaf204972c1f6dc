import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { INSTITUTION_SYSTEMS } from '@app/identity';
import type { InstitutionQualification, InstitutionSystem, Organisation, OrganisationKind, QualificationShortfall } from '@app/identity';

const KINDS: OrganisationKind[] = ['enterprise', 'institution', 'department', 'evaluator'];

export class OrganisationQueryDto {
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS, { message: 'kind 只能是 enterprise、institution、department 或 evaluator' })
  kind?: OrganisationKind;
}

/** A head count or number of years. */
const Count = (what: string) =>
  applyDecorators(IsInt({ message: `${what}须为整数` }), Min(0, { message: `${what}不能为负数` }), Max(10_000, { message: `${what}过大` }));

export class QualificationDto implements InstitutionQualification {
  @ApiProperty({ example: 5, description: '从事工伤预防或安全培训年限' }) @Count('从业年限') yearsOfExperience!: number;
  @ApiProperty({ example: 2 }) @Count('专职培训管理人员数') fullTimeManagers!: number;
  @ApiProperty({ example: 3 }) @Count('专职培训老师数') fullTimeTeachers!: number;
  @ApiProperty({ example: 1, description: '其中安全生产或职业健康专职培训老师' }) @Count('安全专职老师数') safetyTeachers!: number;
  @ApiProperty({ example: 2, description: '高级以上职称（技能等级）且有安全专业或5年以上实践经验的师资' })
  @Count('高级师资数')
  seniorTeachers!: number;

  @ApiProperty({ enum: INSTITUTION_SYSTEMS, isArray: true })
  @IsArray({ message: '制度须为数组' })
  @ArrayUnique({ message: '制度不能重复' })
  @IsIn(INSTITUTION_SYSTEMS, { each: true, message: `制度只能是：${INSTITUTION_SYSTEMS.join('、')}` })
  systems!: InstitutionSystem[];

  @ApiProperty() @IsBoolean({ message: 'digitalCourses 须为 true 或 false' }) digitalCourses!: boolean;
}

export class CreateOrganisationDto {
  @ApiProperty({ enum: KINDS }) @IsIn(KINDS, { message: 'kind 只能是 enterprise、institution、department 或 evaluator' }) kind!: OrganisationKind;

  @ApiProperty({ example: '伊春示范矿业有限公司' })
  @IsString({ message: '名称须为字符串' })
  @IsNotEmpty({ message: '请输入名称' })
  @MaxLength(200, { message: '名称不能超过 200 个字符' })
  name!: string;

  @ApiPropertyOptional({ example: '91350100M000100Y43', description: '企业和培训机构必填（GB 32100-2015）' })
  @IsOptional()
  @IsString({ message: '统一社会信用代码须为字符串' })
  @MaxLength(40, { message: '统一社会信用代码应为18位' })
  uscc?: string;

  @ApiProperty({ example: '230700', description: '6 位行政区划代码：企业所在地；监管部门为其辖区' })
  @Matches(/^\d{6}$/, { message: '行政区划代码应为 6 位数字' })
  regionCode!: string;

  @ApiPropertyOptional({ example: '矿山' }) @IsOptional() @IsString() @MaxLength(50) industry?: string;

  @ApiPropertyOptional({ enum: ['hrss', 'emergency', 'health'] })
  @IsOptional()
  @IsIn(['hrss', 'emergency', 'health'], { message: '部门类别只能是 hrss（人社）、emergency（应急）或 health（卫健）' })
  department?: 'hrss' | 'emergency' | 'health';

  @ApiPropertyOptional({ type: QualificationDto, description: '培训机构必填' })
  @IsOptional()
  @ValidateNested()
  @Type(() => QualificationDto)
  qualification?: QualificationDto;

  @ApiPropertyOptional({ description: '基本条件不足时必填：书面说明理由，监管部门可见' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: '说明不能超过 2000 个字符' })
  qualificationJustification?: string;
}

export class QualificationShortfallDto implements QualificationShortfall {
  @ApiProperty() rule!: QualificationShortfall['rule'];
  @ApiProperty() message!: string;
  @ApiProperty({ example: '鲁人社函〔2023〕94号 §三(五)1' }) source!: string;
}

export class QualificationReviewDto {
  @ApiProperty({ type: [QualificationShortfallDto] }) shortfalls!: QualificationShortfallDto[];
  @ApiPropertyOptional() justification?: string;
}

export class OrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: KINDS }) kind!: OrganisationKind;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ example: '91230700MA00000013' }) uscc?: string;
  @ApiProperty({ example: '230700' }) regionCode!: string;
  @ApiPropertyOptional({ example: '矿山' }) industry?: string;
  @ApiPropertyOptional({ enum: ['hrss', 'emergency', 'health'] }) department?: Organisation['department'];
  @ApiProperty() demo!: boolean;
  @ApiPropertyOptional({ type: QualificationDto }) qualification?: QualificationDto;
  @ApiPropertyOptional({ type: QualificationReviewDto }) qualificationReview?: QualificationReviewDto;

  static from(o: Organisation): OrganisationDto {
    const { id, kind, name, uscc, regionCode, industry, department, demo, qualification, qualificationReview } = o;
    return { id, kind, name, uscc, regionCode, industry, department, demo, qualification, qualificationReview };
  }
}

export class OrganisationListDto {
  @ApiProperty({ type: [OrganisationDto] }) items!: OrganisationDto[];
}
