import { Route, Routes } from 'react-router-dom';
import { OfflineReadOnly } from './read-only';
import { ClassDetail } from './ClassDetail';
import { ClassList } from './ClassList';
import { SessionAttendance } from './SessionAttendance';

/** 线下班次: the list, a class (roster, timetable), a session's attendance. */
export default function ClassesPage() {
  return <ClassRoutes />;
}

/** 线下培训核查: the auditor's read-only view of the same pages (their jurisdiction's classes). */
export function AuditorClassesPage() {
  return (
    <OfflineReadOnly.Provider value={true}>
      <ClassRoutes />
    </OfflineReadOnly.Provider>
  );
}

function ClassRoutes() {
  return (
    <Routes>
      <Route index element={<ClassList />} />
      <Route path=":id" element={<ClassDetail />} />
      <Route path=":id/sessions/:sessionId" element={<SessionAttendance />} />
    </Routes>
  );
}
