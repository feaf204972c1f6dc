import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Organisation, OrganisationKind } from '@app/identity';

const KINDS: OrganisationKind[] = ['enterprise', 'institution', 'department', 'evaluator'];

export class OrganisationQueryDto {
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS, { message: 'kind 只能是 enterprise、institution、department 或 evaluator' })
  kind?: OrganisationKind;
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

  static from(o: Organisation): OrganisationDto {
    const { id, kind, name, uscc, regionCode, industry, department, demo } = o;
    return { id, kind, name, uscc, regionCode, industry, department, demo };
  }
}

export class OrganisationListDto {
  @ApiProperty({ type: [OrganisationDto] }) items!: OrganisationDto[];
}
