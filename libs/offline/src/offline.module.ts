import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogModule } from '@app/catalog';
import { EvidenceModule } from '@app/evidence';
import { LedgerModule } from '@app/ledger';
import { AppConfig, AppConfigToken } from '@app/platform';
import { AcceptSession } from './attendance/acceptance.service';
import { AttendanceService } from './attendance/attendance.service';
import { MyOffline } from './attendance/my-offline';
import { Recogniser } from './attendance/recogniser';
import { RosterGallery } from './attendance/roster-gallery';
import { ClassService } from './classes/class.service';
import { ClassRosterImport } from './classes/roster-import';
import { InstructorService } from './instructors/instructor.service';
import { KioskGuard } from './kiosk/kiosk.guard';
import { KioskService } from './kiosk/kiosk.service';
import { offlineSettingsFrom, OfflineSettingsToken } from './offline-settings';
import { AttendanceRepository } from './persistence/attendance.repository';
import { ClassRepository } from './persistence/class.repository';
import { InstructorRepository } from './persistence/instructor.repository';
import { KioskRepository } from './persistence/kiosk.repository';
import { OFFLINE_MODELS } from './persistence/offline.schemas';
import { RosterRepository } from './persistence/roster.repository';
import { SessionRepository } from './persistence/session.repository';
import { DemoClassSeeder } from './seed/demo-class.seeder';
import { TimetableService } from './timetable/timetable.service';
import { TraineeSchedules } from './timetable/trainee-schedules';

const useCases = [ClassService, ClassRosterImport, InstructorService, TimetableService, AttendanceService, AcceptSession, KioskService, MyOffline, KioskGuard];

/** Offline training: classes, rosters, instructors, timetables, kiosk attendance, acceptance into the ledger. */
@Module({
  imports: [MongooseModule.forFeature(OFFLINE_MODELS), CatalogModule, LedgerModule, EvidenceModule],
  providers: [
    ClassRepository,
    RosterRepository,
    InstructorRepository,
    SessionRepository,
    AttendanceRepository,
    KioskRepository,
    RosterGallery,
    Recogniser,
    TraineeSchedules,
    DemoClassSeeder,
    ...useCases,
    { provide: OfflineSettingsToken, inject: [AppConfigToken], useFactory: (c: AppConfig) => offlineSettingsFrom(c.offline) },
  ],
  exports: [...useCases, ClassRepository, SessionRepository, AttendanceRepository, RosterRepository, InstructorRepository, RosterGallery, OfflineSettingsToken],
})
export class OfflineModule {}
