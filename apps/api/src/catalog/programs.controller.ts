import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { catalogError, ProgramRepository, ProgramService } from '@app/catalog';
import { auditActorOf, AuthUser, CurrentUser, Roles } from '@app/identity';
import { Public } from '@app/platform';
import { UpdateProgramStudyDto } from './course.dto';
import { ProgramListDto, ProgramSummaryDto } from './program.dto';

@ApiTags('培训项目 programs')
@Controller('programs')
export class ProgramsController {
  constructor(
    private readonly programs: ProgramRepository,
    private readonly programService: ProgramService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '培训项目列表（含截止时间及出处）' })
  @ApiOkResponse({ type: ProgramListDto })
  async list(): Promise<ProgramListDto> {
    return { items: (await this.programs.list()).map(ProgramSummaryDto.from) };
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: '培训项目详情（含完成截止日期、选修学时要求）' })
  @ApiOkResponse({ type: ProgramSummaryDto })
  async get(@Param('id') id: string): Promise<ProgramSummaryDto> {
    const program = await this.programs.findById(id);
    if (!program) throw catalogError('PROGRAM_NOT_FOUND');
    return ProgramSummaryDto.from(program);
  }

  @Roles('admin')
  @ApiBearerAuth()
  @Patch(':id/study-settings')
  @ApiOperation({ summary: '设置线上学习的完成截止日期与各类人员的选修最低学时' })
  @ApiOkResponse({ type: ProgramSummaryDto })
  async updateStudy(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateProgramStudyDto): Promise<ProgramSummaryDto> {
    return ProgramSummaryDto.from(await this.programService.updateStudySettings(auditActorOf(user), id, dto));
  }
}
