import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LedgerEntryDoc, LedgerEntrySchema } from './ledger-entry.schema';
import { LedgerRepository } from './ledger.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: LedgerEntryDoc.name, schema: LedgerEntrySchema }])],
  providers: [LedgerRepository],
  exports: [LedgerRepository],
})
export class LedgerModule {}
