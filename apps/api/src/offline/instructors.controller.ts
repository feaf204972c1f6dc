import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { InstructorService } from '@app/offline';
import { ChecklistDto, CreateInstructorDto, InstructorDto, InstructorListDto, InstructorQueryDto, UpdateInstructorDto } from './offline.dto';

@ApiTags('授课教师 instructors')
@ApiBearerAuth()
@Controller('offline/instructors')
export class InstructorsController {
  constructor(private readonly instructors: InstructorService) {}

  @Roles('institution', 'auditor', 'admin')
  @Get()
  @ApiOperation({ summary: '授课教师与专职培训管理人员（身份证号脱敏）' })
  @ApiOkResponse({ type: InstructorListDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: InstructorQueryDto): Promise<InstructorListDto> {
    return { items: (await this.instructors.list(user, q.institutionId)).map(InstructorDto.from) };
  }

  @Roles('institution', 'auditor', 'admin')
  @Get('checklist')
  @ApiOperation({ summary: '师资条件核对（鲁人社函〔2023〕94号 §三(五)）：专职管理人员、专职教师、安全/职业健康教师、高级职称师资，逐项满足与否及原因' })
  @ApiOkResponse({ type: ChecklistDto })
  async checklist(@CurrentUser() user: AuthUser, @Query() q: InstructorQueryDto): Promise<ChecklistDto> {
    const items = await this.instructors.checklist(user, q.institutionId);
    return { items, met: items.every((i) => i.met) };
  }

  @Roles('institution', 'admin')
  @Post()
  @ApiOperation({ summary: '登记授课教师或专职培训管理人员（身份证号加密保存）' })
  @ApiCreatedResponse({ type: InstructorDto })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateInstructorDto): Promise<InstructorDto> {
    return InstructorDto.from(await this.instructors.create(user, dto));
  }

  @Roles('institution', 'admin')
  @Patch(':id')
  @ApiOperation({ summary: '修改教师信息（停用：active = false）' })
  @ApiOkResponse({ type: InstructorDto })
  async update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateInstructorDto): Promise<InstructorDto> {
    return InstructorDto.from(await this.instructors.update(user, id, dto));
  }
}
