import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '@app/platform';
import { RecordingUploadsService } from './recording-uploads.service';

/**
 * The tus endpoint of session recordings. Public to the global guard because tus checks the
 * institution itself on every request; not throttled, since a multi-GB file is many PATCH requests.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('recording-uploads')
export class RecordingUploadsController {
  constructor(private readonly tus: RecordingUploadsService) {}

  @All()
  root(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @All('*path')
  upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }
}
