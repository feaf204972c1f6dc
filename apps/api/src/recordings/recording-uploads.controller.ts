import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@app/platform';
import { TusRouteController } from '../media/tus-route';
import { RecordingUploadsService } from './recording-uploads.service';

/**
 * The tus endpoint of session recordings. Public to the global guard because tus checks the
 * institution itself on every request; not throttled, since a multi-GB file is many PATCH requests.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('recording-uploads')
export class RecordingUploadsController extends TusRouteController {
  constructor(tus: RecordingUploadsService) {
    super(tus);
  }
}
