import { AuditorClassesPage } from '../institution/classes/ClassesPage';

/** 线下培训核查: the institution's class pages, read-only, within the auditor's jurisdiction (the API scopes them). */
export default AuditorClassesPage;
