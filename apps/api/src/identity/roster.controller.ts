import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, identityError, Roles, RosterExportService, RosterImportService, XLSX_CONTENT_TYPE } from '@app/identity';
import { UploadTooLargeAs } from './roster-upload.interceptor';
import { RosterImportDto, RosterImportReportDto, RosterProgramQueryDto } from './roster.dto';

/** 10,000 rows of the template are about 0.6 MB; 10 MB leaves room for formatted sheets. */
export const ROSTER_MAX_BYTES = 10 * 1024 * 1024;

function xlsxFile(filename: string, content: Buffer, asciiName: string): StreamableFile {
  return new StreamableFile(content, {
    type: XLSX_CONTENT_TYPE,
    length: content.length,
    disposition: `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  });
}

/** Registered before TraineesController: `trainees/export` must not be read as `trainees/:id`. */
@ApiTags('学员名单导入导出 roster')
@ApiBearerAuth()
@Roles('institution', 'admin')
@Controller('trainees')
export class RosterController {
  constructor(
    private readonly roster: RosterImportService,
    private readonly exporter: RosterExportService,
  ) {}

  @Get('export')
  @ApiOperation({ summary: '导出本机构某培训项目的学员名单（.xlsx，与导入模板同列，含完整身份证号；修改后可再次导入）' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(@CurrentUser() user: AuthUser, @Query() q: RosterProgramQueryDto): Promise<StreamableFile> {
    const { filename, content } = await this.exporter.export(user, q.programId);
    return xlsxFile(filename, content, 'roster.xlsx');
  }

  @Get('import/template')
  @ApiOperation({ summary: '下载学员名单导入模板（.xlsx，含填写说明与本项目人员类别下拉列表）' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async template(@Query() q: RosterProgramQueryDto): Promise<StreamableFile> {
    const { filename, content } = await this.roster.template(q.programId);
    return xlsxFile(filename, content, 'roster-template.xlsx');
  }

  @Post('import')
  @HttpCode(200)
  @UseInterceptors(UploadTooLargeAs(() => identityError('ROSTER_FILE_TOO_LARGE', { maxBytes: ROSTER_MAX_BYTES })), FileInterceptor('file', { limits: { fileSize: ROSTER_MAX_BYTES, files: 1, fields: 10 } }))
  @ApiOperation({
    summary: '导入学员名单（.xlsx）：逐行校验，列出每个问题行的行号、列名与原因；合格行按身份证号登记或更新，重复导入不产生变化',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['programId', 'file'],
      properties: {
        programId: { type: 'string', description: '培训项目标识' },
        institutionId: { type: 'string', description: '仅管理员填写' },
        file: { type: 'string', format: 'binary', description: '学员名单 .xlsx（不超过 10 MB、20000 行）' },
      },
    },
  })
  @ApiOkResponse({ type: RosterImportReportDto, description: '文件格式错误时返回 400（ROSTER_FILE_INVALID、ROSTER_HEADER_MISSING、ROSTER_HEADER_INVALID、ROSTER_NO_ROWS 等）' })
  async import(
    @CurrentUser() user: AuthUser,
    @Body() dto: RosterImportDto,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<RosterImportReportDto> {
    if (!file) throw identityError('ROSTER_FILE_MISSING');
    return this.roster.import(user, dto.programId, file.buffer, { institutionId: user.role === 'admin' ? dto.institutionId : undefined });
  }
}
