import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { ProgramsController } from './programs.controller';

@Module({ imports: [CatalogModule], controllers: [ProgramsController] })
export class CatalogHttpModule {}
