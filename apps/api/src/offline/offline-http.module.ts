import { Module } from '@nestjs/common';
import { OfflineModule } from '@app/offline';
import { ClassesController } from './classes.controller';
import { InstructorsController } from './instructors.controller';
import { KioskController, MyOfflineController } from './kiosk.controller';
import { SessionsController } from './sessions.controller';

@Module({
  imports: [OfflineModule],
  controllers: [ClassesController, SessionsController, InstructorsController, KioskController, MyOfflineController],
})
export class OfflineHttpModule {}
