import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { SittingService } from '@app/exams';
import { CreateSittingDto, ExamClassListDto, RecordResultsDto, ScheduledDto, SittingDto, SittingListDto } from './exams.dto';

// Roles here are everyone who can organise some program's exam; the rule set's organiser decides
// per class (培考分离: the department's examiner; an institution gets 403 EXAM_NOT_ORGANISER).
@ApiTags('结业考试 exams')
@ApiBearerAuth()
@Controller('exams')
export class ExamsController {
  constructor(private readonly sittings: SittingService) {}

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get('classes')
  @ApiOperation({ summary: '可查看其结业考试的班次（考试主管部门：本辖区培考分离与联合组织的项目；培训机构：本机构自行组考的项目）' })
  @ApiOkResponse({ type: ExamClassListDto })
  async classes(@CurrentUser() user: AuthUser): Promise<ExamClassListDto> {
    const rows = await this.sittings.classesFor(user);
    return {
      items: rows.map(({ cls, organiser }) => ({
        id: cls.id, programId: cls.programId, institutionId: cls.institutionId, name: cls.name, category: cls.category, location: cls.location, startDate: cls.startDate, endDate: cls.endDate, size: cls.size, organiser,
      })),
    };
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get('classes/:classId/sittings')
  @ApiOperation({ summary: '班次的考试场次（结业考试与补考）' })
  @ApiOkResponse({ type: SittingListDto })
  async list(@CurrentUser() user: AuthUser, @Param('classId') classId: string): Promise<SittingListDto> {
    return { items: (await this.sittings.listForClass(user, classId)).map(SittingDto.from) };
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Post('classes/:classId/sittings')
  @ApiOperation({ summary: '安排闭卷考试（纸质试卷）：考生为学时等要求已达标、尚有考试机会的学员；组织者按规则集（培考分离由考试主管部门组织）' })
  @ApiCreatedResponse({ type: ScheduledDto })
  async schedule(@CurrentUser() user: AuthUser, @Param('classId') classId: string, @Body() dto: CreateSittingDto): Promise<ScheduledDto> {
    return ScheduledDto.from(await this.sittings.schedule(user, classId, dto));
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Get('sittings/:id')
  @ApiOperation({ summary: '考试场次详情：考生、监考人员、成绩' })
  @ApiOkResponse({ type: SittingDto })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SittingDto> {
    return SittingDto.from(await this.sittings.get(user, id));
  }

  @Roles('institution', 'auditor', 'examiner', 'admin')
  @Post('sittings/:id/results')
  @HttpCode(200)
  @ApiOperation({ summary: '登记成绩（考试开始后，一次性）：每名考生一行成绩或缺考，并填写监考人员；成绩随即计入合规判定' })
  @ApiOkResponse({ type: SittingDto })
  async record(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordResultsDto): Promise<SittingDto> {
    return SittingDto.from(await this.sittings.record(user, id, dto));
  }
}
