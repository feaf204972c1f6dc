import { Module } from '@nestjs/common';
import { RecordingsModule } from '@app/recordings';
import { RecordingUploadsController } from './recording-uploads.controller';
import { RecordingUploadsService } from './recording-uploads.service';
import { RecordingsController } from './recordings.controller';

@Module({
  imports: [RecordingsModule],
  controllers: [RecordingUploadsController, RecordingsController],
  providers: [RecordingUploadsService],
})
export class RecordingsHttpModule {}
