import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@app/platform';
import { TusRouteController } from './tus-route';
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
export class UploadsController extends TusRouteController {
  constructor(tus: TusUploadService) {
    super(tus);
  }
}
