export { CatalogModule } from './catalog.module';
export { ProgramRepository } from './programs/program.repository';
export * from './programs/program.entity';
