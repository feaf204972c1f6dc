import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureAck, PromptAck, SessionClosedView, StudyChecksView, StudySessionView, StudyTotalsView } from '@app/study-protocol';
import { ServerClock } from './clock';
import type { PlayerSnapshot } from './heartbeat';
import { appendRefusals, type RefusalEntry } from './refusal-log';
import { StudyConnection, type ConnectionState } from './study-connection';

export interface StudySessionState {
  connection: ConnectionState;
  connectionMessage?: string;
  /** The last `study:open` answer (first open or a resume). */
  view?: StudySessionView;
  totals?: StudyTotalsView;
  checks: StudyChecksView;
  /** The server's furthest plausibly watched point. */
  furthestPosition: number;
  lastCredited?: number;
  lessonComplete: boolean;
  refusals: RefusalEntry[];
  /** Local ms of the last heartbeat ack. */
  lastAckAt?: number;
  ended?: { message: string; code: string };
  closed?: SessionClosedView;
  problem?: string;
}

const INITIAL: StudySessionState = { connection: 'connecting', checks: {}, furthestPosition: 0, lessonComplete: false, refusals: [] };

/**
 * The study session of one lesson for the player page: connection, the server's view of credit and
 * checks, and the heartbeat loop — every `heartbeatSeconds` plus whenever `beat()` is called
 * (play, pause, tab change). `snapshot` is called only when a heartbeat is actually sent.
 */
export function useStudySession(lessonId: string, snapshot: () => PlayerSnapshot) {
  const [state, setState] = useState<StudySessionState>(INITIAL);
  const connection = useRef<StudyConnection | undefined>(undefined);
  const clock = useRef(new ServerClock());
  const seenChecks = useRef(new Set<string>());
  const read = useRef(snapshot);
  read.current = snapshot;

  /** Notes when each check was first seen: evidence for the clock (see ServerClock). */
  const note = useCallback((checks: StudyChecksView, arrivedAt: number) => {
    for (const check of [checks.face, checks.prompt]) {
      if (check && !seenChecks.current.has(check.id)) {
        seenChecks.current.add(check.id);
        clock.current.observeIssued(check.issuedAt, arrivedAt);
      }
    }
  }, []);

  useEffect(() => {
    setState(INITIAL);
    const conn = new StudyConnection(lessonId, {
      connection: (c, message) => setState((s) => ({ ...s, connection: c, connectionMessage: message })),
      opened: (view, at) => {
        note(view.checks, at);
        setState((s) => ({
          ...s,
          view,
          totals: view.totals,
          checks: view.checks,
          furthestPosition: Math.max(view.sessionId === s.view?.sessionId ? s.furthestPosition : 0, view.furthestPosition),
          problem: undefined,
        }));
        void conn.measureClock(clock.current);
      },
      heartbeat: (ack, at) => {
        note(ack.checks, at);
        setState((s) => ({
          ...s,
          totals: ack.totals,
          checks: ack.checks,
          furthestPosition: Math.max(s.furthestPosition, ack.furthestPosition),
          lastCredited: ack.credited,
          lessonComplete: ack.lessonComplete,
          refusals: appendRefusals(s.refusals, ack, at),
          lastAckAt: at,
          problem: undefined,
        }));
      },
      checks: (checks, at) => {
        note(checks, at);
        setState((s) => ({ ...s, checks: { ...s.checks, ...checks } }));
      },
      ended: (message, code) => setState((s) => ({ ...s, ended: { message, code } })),
      problem: (error) => setState((s) => ({ ...s, problem: error.message })),
    });
    connection.current = conn;
    conn.start();
    return () => {
      connection.current = undefined;
      // Leaving the page ends the session (settled to the ledger); a reload does not come here and resumes.
      void conn.close().finally(() => conn.dispose());
    };
  }, [lessonId, note]);

  const heartbeatSeconds = state.view?.heartbeatSeconds;
  const open = state.connection === 'open';
  useEffect(() => {
    if (!heartbeatSeconds || !open) return;
    const timer = setInterval(() => void connection.current?.heartbeat(() => read.current()), heartbeatSeconds * 1000);
    return () => clearInterval(timer);
  }, [heartbeatSeconds, open]);

  const beat = useCallback(() => void connection.current?.heartbeat(() => read.current()), []);

  const capture = useCallback(async (checkId: string, image: ArrayBuffer): Promise<CaptureAck> => {
    const conn = connection.current;
    if (!conn) throw new Error('学习会话已结束');
    const ack = await conn.capture(checkId, image);
    setState((s) => ({ ...s, totals: ack.totals, checks: { ...s.checks, face: ack.check } }));
    return ack;
  }, []);

  const answer = useCallback(async (promptId: string, choice: string): Promise<PromptAck> => {
    const conn = connection.current;
    if (!conn) throw new Error('学习会话已结束');
    const ack = await conn.answer(promptId, choice);
    setState((s) => ({ ...s, checks: { ...s.checks, prompt: ack.prompt } }));
    return ack;
  }, []);

  /** Ends the session now (lesson finished, or the trainee chose to stop). */
  const finish = useCallback(async () => {
    const conn = connection.current;
    if (!conn) return;
    const closed = await conn.close();
    if (closed) {
      conn.dispose();
      connection.current = undefined;
      setState((s) => ({ ...s, closed, connection: 'ended' }));
    }
  }, []);

  const retry = useCallback(() => connection.current?.retry(), []);
  const toLocal = useCallback((serverMs: number) => clock.current.toLocal(serverMs), []);

  return { ...state, beat, capture, answer, finish, retry, toLocal };
}
