import { Route, Routes } from 'react-router-dom';
import { ClassDetail } from './ClassDetail';
import { ClassList } from './ClassList';
import { SessionAttendance } from './SessionAttendance';

/** 线下班次: the list, a class (roster, timetable), a session's attendance. */
export default function ClassesPage() {
  return (
    <Routes>
      <Route index element={<ClassList />} />
      <Route path=":id" element={<ClassDetail />} />
      <Route path=":id/sessions/:sessionId" element={<SessionAttendance />} />
    </Routes>
  );
}
