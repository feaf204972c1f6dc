import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsMongoId, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { maskIdNumber, maskPhone, revealsPersonalData, TRAINEE_STATUSES, USERNAME_PATTERN } from '@app/identity';
import type { Role, Trainee, TraineeStatus } from '@app/identity';

export class RegisterTraineeDto {
  @ApiProperty() @IsMongoId({ message: '培训项目标识不正确' }) programId!: string;

  @ApiProperty({ example: '张三' })
  @IsString({ message: '姓名须为字符串' })
  @IsNotEmpty({ message: '请输入姓名' })
  @MaxLength(50, { message: '姓名不能超过 50 个字符' })
  name!: string;

  @ApiProperty({ example: '11010519491231002X', description: '18 位公民身份号码（GB 11643-1999）' })
  @IsString({ message: '身份证号须为字符串' })
  @MaxLength(40, { message: '身份证号应为18位' })
  idNumber!: string;

  @ApiPropertyOptional({ example: '13812345678' })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: '手机号应为 11 位数字，以 1 开头' })
  phone?: string;

  @ApiProperty() @IsMongoId({ message: '所属企业标识不正确' }) enterpriseId!: string;

  @ApiPropertyOptional({ description: '仅管理员填写；培训机构用户登记的学员总是属于本机构' })
  @IsOptional()
  @IsMongoId({ message: '培训机构标识不正确' })
  institutionId?: string;

  @ApiProperty({ example: 'team_leader', description: '本项目的人员类别代码' })
  @IsString({ message: '人员类别须为字符串' })
  @IsNotEmpty({ message: '请选择人员类别' })
  @MaxLength(50)
  category!: string;

  @ApiPropertyOptional({ example: '采掘班班长' })
  @IsOptional()
  @IsString({ message: '岗位须为字符串' })
  @MaxLength(100, { message: '岗位不能超过 100 个字符' })
  post?: string;
}

export class TraineeListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '培训项目标识不正确' }) programId?: string;
  @ApiPropertyOptional() @IsOptional() @IsMongoId({ message: '所属企业标识不正确' }) enterpriseId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) category?: string;

  @ApiPropertyOptional({ enum: TRAINEE_STATUSES })
  @IsOptional()
  @IsIn(TRAINEE_STATUSES, { message: '状态只能是 active、completed 或 withdrawn' })
  status?: TraineeStatus;

  @ApiPropertyOptional({ description: '姓名包含' }) @IsOptional() @IsString() @MaxLength(50) name?: string;
  @ApiPropertyOptional({ description: '完整身份证号（精确匹配）' }) @IsOptional() @IsString() @MaxLength(40) idNumber?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset 须为整数' })
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit 须为整数' })
  @Min(1)
  @Max(200, { message: 'limit 不能超过 200' })
  limit?: number;
}

export class TraineeDto {
  @ApiProperty() id!: string;
  @ApiProperty() programId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '2301**********1234', description: '列表中总是脱敏；详情仅对有权角色显示完整号码' }) idNumber!: string;
  @ApiPropertyOptional({ example: '138****5678' }) phone?: string;
  @ApiProperty({ description: '身份证号与手机号是否已脱敏' }) masked!: boolean;
  @ApiProperty({ example: '1985-03-15' }) birthDate!: string;
  @ApiProperty({ enum: ['male', 'female'] }) sex!: 'male' | 'female';
  @ApiProperty() enterpriseId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty() category!: string;
  @ApiPropertyOptional() post?: string;
  @ApiProperty({ enum: TRAINEE_STATUSES }) status!: TraineeStatus;

  /** Masks unless this is a single record and the role may see personal data. */
  static from(t: Trainee, reveal: boolean): TraineeDto {
    const masked = !reveal;
    return {
      id: t.id,
      programId: t.programId,
      name: t.name,
      idNumber: masked ? maskIdNumber(t.idNumber) : t.idNumber,
      phone: t.phone === undefined ? undefined : masked ? maskPhone(t.phone) : t.phone,
      masked,
      birthDate: t.birthDate,
      sex: t.sex,
      enterpriseId: t.enterpriseId,
      institutionId: t.institutionId,
      category: t.category,
      post: t.post,
      status: t.status,
    };
  }

  static forDetail(t: Trainee, role: Role): TraineeDto {
    return TraineeDto.from(t, revealsPersonalData(role));
  }
}

export class TraineeListDto {
  @ApiProperty({ type: [TraineeDto] }) items!: TraineeDto[];
  @ApiProperty() total!: number;
}

export class CreateTraineeAccountDto {
  @ApiProperty({ example: '13812345678', description: '3–32 位小写字母、数字、点、下划线或连字符（常用手机号）' })
  @IsString({ message: '用户名须为字符串' })
  @Matches(USERNAME_PATTERN, { message: '用户名须为 3–32 位小写字母、数字、点、下划线或连字符，以字母或数字开头' })
  username!: string;
}
