import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '@app/platform';
import { TusUploadService } from './tus-upload.service';

/**
 * The tus endpoint (POST create, HEAD offset, PATCH bytes, DELETE). Public to the global guard
 * because tus checks the administrator itself on every request (onIncomingRequest); not
 * throttled, since a resumed multi-GB upload is many PATCH requests.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('uploads')
export class UploadsController {
  constructor(private readonly tus: TusUploadService) {}

  @All()
  root(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }

  @All('*path')
  upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.tus.handle(req, res);
  }
}
