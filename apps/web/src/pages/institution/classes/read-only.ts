import { createContext, useContext } from 'react';

/** Auditors read the same pages: classes, rosters, timetables, attendance with its flags — and change nothing. */
export const OfflineReadOnly = createContext(false);

export const useReadOnly = () => useContext(OfflineReadOnly);
