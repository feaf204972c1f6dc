import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { Appeals, OversightQueue, oversightError, VoidCredit, WatchList } from '@app/oversight';
import { fileResponse } from '@app/platform';
import { UploadTooLargeAs } from '../identity/roster-upload.interceptor';
import {
  AppealDecisionDto,
  AppealDto,
  AppealFieldsDto,
  AppealListDto,
  ItemDetailDto,
  ItemDto,
  ItemPageDto,
  NoteDto,
  QueueQueryDto,
  ReasonDto,
  RefreshJobDto,
  RefreshStatusDto,
  VoidDto,
  VoidListDto,
  VoidQueryDto,
  VoidRecordDto,
  WatchBodyDto,
  WatchDto,
  WatchListDto,
} from './oversight.dto';

const APPEAL_FILE_BYTES = 10 * 1024 * 1024;

@ApiTags('监管抽查 oversight')
@ApiBearerAuth()
@Controller('oversight')
export class OversightController {
  constructor(
    private readonly queue: OversightQueue,
    private readonly voids: VoidCredit,
    private readonly appeals: Appeals,
    private readonly watch: WatchList,
  ) {}

  @Roles('auditor', 'admin')
  @Get('items')
  @ApiOperation({ summary: '本辖区抽查队列：按风险评分排序，可按项目、培训机构、企业、班次、信号、日期筛选' })
  @ApiOkResponse({ type: ItemPageDto })
  async list(@CurrentUser() user: AuthUser, @Query() q: QueueQueryDto): Promise<ItemPageDto> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { items, total } = await this.queue.page(user, q, page, pageSize);
    return { items: items.map(ItemDto.from), total, page, pageSize };
  }

  @Roles('auditor', 'admin')
  @Get('items/:id')
  @ApiOperation({ summary: '抽查事项：各信号及其依据、评分公式、在队列中的名次' })
  @ApiOkResponse({ type: ItemDetailDto })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ItemDetailDto> {
    const item = await this.queue.get(user, id);
    return { ...ItemDto.from(item), rank: item.rank, openTotal: item.total };
  }

  @Roles('auditor', 'admin')
  @Post('items/:id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: '认领抽查事项（认领期间其他审核人员不能处理）' })
  @ApiOkResponse({ type: ItemDto })
  async claim(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ItemDto> {
    return ItemDto.from(await this.queue.claim(user, id));
  }

  @Roles('auditor', 'admin')
  @Post('items/:id/release')
  @HttpCode(200)
  @ApiOperation({ summary: '放弃认领' })
  @ApiOkResponse({ type: ItemDto })
  async release(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ItemDto> {
    return ItemDto.from(await this.queue.release(user, id));
  }

  @Roles('auditor', 'admin')
  @Post('items/:id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: '核查无异常，确认' })
  @ApiOkResponse({ type: ItemDto })
  async confirm(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: NoteDto): Promise<ItemDto> {
    return ItemDto.from(await this.queue.confirm(user, id, dto.note));
  }

  @Roles('auditor', 'admin')
  @Post('items/:id/void')
  @HttpCode(200)
  @ApiOperation({ summary: '作废学时：为所选范围内已入账的秒数写入冲正记录（同一范围重复作废不产生变化）' })
  @ApiOkResponse({ type: VoidRecordDto })
  async void(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: VoidDto): Promise<VoidRecordDto> {
    const r = await this.voids.execute(user, id, dto.scope, dto.reason);
    return VoidRecordDto.from(r.void, r.created);
  }

  @Roles('auditor', 'admin')
  @Post('voids/:id/reverse')
  @HttpCode(200)
  @ApiOperation({ summary: '撤销作废（须由作出作废决定以外的审核人员办理），恢复的学时与作废记录关联' })
  @ApiOkResponse({ type: VoidRecordDto })
  async reverse(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ReasonDto): Promise<VoidRecordDto> {
    return VoidRecordDto.from(await this.voids.reverse(user, id, dto.reason));
  }

  @Roles('trainee', 'institution', 'auditor', 'admin')
  @Get('voids')
  @ApiOperation({ summary: '学时作废记录及申诉：学员看本人的，培训机构看本机构学员的，监管部门看本辖区的' })
  @ApiOkResponse({ type: VoidListDto })
  async listVoids(@CurrentUser() user: AuthUser, @Query() q: VoidQueryDto): Promise<VoidListDto> {
    return { items: (await this.appeals.voidsOf(user, q.traineeId)).map((v) => VoidRecordDto.from(v)) };
  }

  @Roles('trainee', 'institution')
  @Post('voids/:id/appeal')
  @ApiOperation({ summary: '对作废提出申诉（每项作废限一次）：申诉理由及证明材料（最多 5 个文件，每个不超过 10 MB）' })
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ type: AppealDto })
  @UseInterceptors(UploadTooLargeAs(() => oversightError('EVIDENCE_TOO_LARGE')), FilesInterceptor('files', 5, { limits: { fileSize: APPEAL_FILE_BYTES, files: 5, fields: 3 } }))
  async appeal(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AppealFieldsDto, @UploadedFiles() files: Express.Multer.File[] | undefined): Promise<AppealDto> {
    const list = (files ?? []).map((f) => ({ name: Buffer.from(f.originalname, 'latin1').toString('utf8'), contentType: f.mimetype, bytes: f.buffer }));
    return AppealDto.from(await this.appeals.file(user, id, dto.statement, list));
  }

  @Roles('auditor', 'admin')
  @Get('appeals')
  @ApiOperation({ summary: '本辖区待处理的申诉' })
  @ApiOkResponse({ type: AppealListDto })
  async pending(@CurrentUser() user: AuthUser): Promise<AppealListDto> {
    return { items: (await this.appeals.pending(user)).map(AppealDto.from) };
  }

  @Roles('auditor', 'admin')
  @Post('appeals/:id/decide')
  @HttpCode(200)
  @ApiOperation({ summary: '处理申诉（须由作出作废决定以外的审核人员办理）：成立则恢复学时，并与作废记录关联' })
  @ApiOkResponse({ type: AppealDto })
  async decide(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AppealDecisionDto): Promise<AppealDto> {
    return AppealDto.from(await this.appeals.decide(user, id, dto.uphold, dto.reason));
  }

  @Roles('trainee', 'institution', 'auditor', 'admin')
  @Get('appeals/:id/evidence/:sha256')
  @ApiOperation({ summary: '申诉材料文件（按 SHA-256 取，读取时校验）' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async evidence(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('sha256') sha256: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const f = await this.appeals.evidenceFile(user, id, sha256);
    res.setHeader('Cache-Control', 'private, no-store');
    return fileResponse(f.body, { type: f.contentType, length: f.size });
  }

  @Roles('auditor', 'admin')
  @Post('refresh')
  @HttpCode(202)
  @ApiOperation({ summary: '重新计算抽查信号（后台任务）' })
  @ApiOkResponse({ type: RefreshJobDto })
  requestRefresh(@CurrentUser() user: AuthUser): Promise<RefreshJobDto> {
    return this.queue.requestRefresh(user);
  }

  @Roles('auditor', 'admin')
  @Get('refresh/:jobId')
  @ApiOperation({ summary: '信号刷新任务状态' })
  @ApiOkResponse({ type: RefreshStatusDto })
  refreshStatus(@CurrentUser() user: AuthUser, @Param('jobId') jobId: string): Promise<RefreshStatusDto> {
    return this.queue.refreshStatus(user, jobId);
  }

  @Roles('auditor', 'admin')
  @Get('watch')
  @ApiOperation({ summary: '本辖区重点关注的学员与培训机构' })
  @ApiOkResponse({ type: WatchListDto })
  async watchList(@CurrentUser() user: AuthUser): Promise<WatchListDto> {
    return { items: (await this.watch.list(user)).map(WatchDto.from) };
  }

  @Roles('auditor', 'admin')
  @Post('watch')
  @ApiOperation({ summary: '将学员或培训机构列为重点关注（提高人脸核验频次）' })
  @ApiCreatedResponse({ type: WatchDto })
  async setWatch(@CurrentUser() user: AuthUser, @Body() dto: WatchBodyDto): Promise<WatchDto> {
    return WatchDto.from(await this.watch.watch(user, dto));
  }

  @Roles('auditor', 'admin')
  @Post('watch/:id/end')
  @HttpCode(200)
  @ApiOperation({ summary: '解除重点关注' })
  @ApiOkResponse({ type: WatchDto })
  async endWatch(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<WatchDto> {
    return WatchDto.from(await this.watch.end(user, id));
  }
}
