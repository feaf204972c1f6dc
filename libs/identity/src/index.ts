export { IdentityModule } from './identity.module';
export { OrganisationRepository } from './organisations/organisation.repository';
export * from './organisations/organisation.entity';
export { usccProblem, usccCheckChar, USCC_PROBLEM_MESSAGES, UsccProblem } from './organisations/uscc';
