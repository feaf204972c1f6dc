import { Route, Routes } from 'react-router-dom';
import { TraineeDetail } from './TraineeDetail';
import { TraineeList } from './TraineeList';

/** 学员管理: the list at the section's root, a trainee's record below it. */
export default function TraineesPage() {
  return (
    <Routes>
      <Route index element={<TraineeList />} />
      <Route path=":id" element={<TraineeDetail />} />
    </Routes>
  );
}
