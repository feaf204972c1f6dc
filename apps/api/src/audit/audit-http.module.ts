import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** AuditModule itself is global (every context commits through it); this adds its routes. */
@Module({ controllers: [AuditController] })
export class AuditHttpModule {}
