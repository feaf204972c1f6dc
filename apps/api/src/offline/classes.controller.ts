import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, identityError, Roles } from '@app/identity';
import { ClassRosterImport, ClassService, TimetableService } from '@app/offline';
import { UploadTooLargeAs } from '../identity/roster-upload.interceptor';
import {
  AddRosterDto,
  ClassDetailDto,
  ClassDto,
  ClassListDto,
  ClassQueryDto,
  CreateClassDto,
  CreateSessionDto,
  ReasonDto,
  RosterEntryDto,
  RosterImportFieldsDto,
  ClassRosterImportReportDto,
  SessionDto,
  SessionListDto,
  UpdateClassDto,
} from './offline.dto';

const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

@ApiTags('线下培训班次 offline classes')
@ApiBearerAuth()
@Controller('offline/classes')
export class ClassesController {
  constructor(
    private readonly classes: ClassService,
    private readonly rosterImport: ClassRosterImport,
    private readonly timetable: TimetableService,
  ) {}

  @Roles('institution', 'auditor', 'admin')
  @Get()
  @ApiOperation({ summary: '班次列表（培训机构：本机构；监管部门：辖区内；管理员：全部）' })
  @ApiOkResponse({ type: ClassListDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: ClassQueryDto): Promise<ClassListDto> {
    return { items: (await this.classes.list(user, q)).map(ClassDto.from) };
  }

  @Roles('institution', 'admin')
  @Post()
  @ApiOperation({ summary: '新建班次：一个班次只能有一类人员、一种企业类型（严禁“大合堂”）' })
  @ApiCreatedResponse({ type: ClassDto })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateClassDto): Promise<ClassDto> {
    return ClassDto.from(await this.classes.create(user, dto));
  }

  @Roles('institution', 'auditor', 'admin')
  @Get(':id')
  @ApiOperation({ summary: '班次详情与学员名册' })
  @ApiOkResponse({ type: ClassDetailDto })
  async detail(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ClassDetailDto> {
    const { cls, roster } = await this.classes.detail(user, id);
    return { ...ClassDto.from(cls), roster: roster.map(RosterEntryDto.from) };
  }

  @Roles('institution', 'admin')
  @Patch(':id')
  @ApiOperation({ summary: '修改班次（名称、地点、日期；状态依次推进：草稿 → 已发布 → 进行中 → 已结束）' })
  @ApiOkResponse({ type: ClassDto })
  async update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateClassDto): Promise<ClassDto> {
    return ClassDto.from(await this.classes.update(user, id, dto));
  }

  @Roles('institution', 'admin')
  @Post(':id/roster')
  @ApiOperation({ summary: '将本机构已登记的学员加入花名册：人员类别与企业类型须与班次一致；超过人数上限须填写理由' })
  @ApiCreatedResponse({ type: RosterEntryDto })
  async addTrainee(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddRosterDto): Promise<RosterEntryDto> {
    return RosterEntryDto.from(await this.classes.addTrainee(user, id, dto.traineeId, dto.justification));
  }

  @Roles('institution', 'admin')
  @Post(':id/roster/:traineeId/remove')
  @HttpCode(204)
  @ApiOperation({ summary: '将学员移出花名册（须填写原因；已有考勤记录的不能移出）' })
  async removeTrainee(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('traineeId') traineeId: string, @Body() dto: ReasonDto): Promise<void> {
    await this.classes.removeTrainee(user, id, traineeId, dto.reason);
  }

  @Roles('institution', 'admin')
  @Post(':id/roster/import')
  @HttpCode(200)
  @UseInterceptors(UploadTooLargeAs(() => identityError('ROSTER_FILE_TOO_LARGE', { maxBytes: ROSTER_MAX_BYTES })), FileInterceptor('file', { limits: { fileSize: ROSTER_MAX_BYTES, files: 1, fields: 5 } }))
  @ApiOperation({ summary: '按身份证号批量加入花名册（.xlsx，第一行为表头，含“身份证号”列）：逐行处理，列出每个未加入行的行号与原因' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, justification: { type: 'string', description: '超过人数上限时的书面理由' } } } })
  @ApiOkResponse({ type: ClassRosterImportReportDto })
  async importRoster(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RosterImportFieldsDto, @UploadedFile() file: Express.Multer.File | undefined): Promise<ClassRosterImportReportDto> {
    if (!file) throw identityError('ROSTER_FILE_MISSING');
    return this.rosterImport.import(user, id, file.buffer, dto.justification);
  }

  @Roles('institution', 'auditor', 'admin')
  @Get(':id/sessions')
  @ApiOperation({ summary: '班次的课程表（课次按时间排列）' })
  @ApiOkResponse({ type: SessionListDto })
  async sessions(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<SessionListDto> {
    return { items: (await this.timetable.listForClass(user, id)).map(SessionDto.from) };
  }

  @Roles('institution', 'admin')
  @Post(':id/sessions')
  @ApiOperation({ summary: '新增课次：同一教师、同一教室、同一学员不能同时有两个课次；补录已开始的课次须填写原因' })
  @ApiCreatedResponse({ type: SessionDto })
  async addSession(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: CreateSessionDto): Promise<SessionDto> {
    const { reason, ...input } = dto;
    return SessionDto.from(await this.timetable.add(user, id, input, reason));
  }
}
