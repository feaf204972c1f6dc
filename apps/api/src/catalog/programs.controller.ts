import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProgramRepository } from '@app/catalog';
import { Public } from '@app/platform';
import { ProgramListDto, ProgramSummaryDto } from './program.dto';

@ApiTags('培训项目 programs')
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramRepository) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '培训项目列表（含截止时间及出处）' })
  @ApiOkResponse({ type: ProgramListDto })
  async list(): Promise<ProgramListDto> {
    return { items: (await this.programs.list()).map(ProgramSummaryDto.from) };
  }
}
