import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/**
 * A written reason for an action that requires one (removing a trainee from a roster, reversing a
 * void, deciding an appeal): one schema for every route, so OpenAPI has one `ReasonDto`.
 */
export class ReasonDto {
  @ApiProperty({ description: '原因（记入审计日志）' })
  @IsString({ message: '请填写原因' })
  @Matches(/\S/, { message: '请填写原因' })
  @MaxLength(2000, { message: '原因不超过 2000 字' })
  reason!: string;
}
