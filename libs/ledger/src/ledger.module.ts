import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LedgerEntryDoc, LedgerEntrySchema } from './ledger-entry.schema';
import { LedgerBook } from './ledger-book';
import { LedgerRepository } from './ledger.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: LedgerEntryDoc.name, schema: LedgerEntrySchema }])],
  providers: [LedgerRepository, LedgerBook],
  exports: [LedgerRepository, LedgerBook],
})
export class LedgerModule {}
