import type { AuditEntry } from '@app/audit';

/** The audit records' target types of this context. */
export const OVERSIGHT_TARGETS = { item: 'oversight-item', void: 'oversight-void', appeal: 'oversight-appeal', watch: 'oversight-watch', refresh: 'oversight-refresh' } as const;

export const tenantOf = (o: { institutionId: string; regionCode: string }) => ({ institutionId: o.institutionId, regionCode: o.regionCode });

export function oversightEntry(action: string, target: keyof typeof OVERSIGHT_TARGETS, id: string, tenant: AuditEntry['tenant'], after?: object, reason?: string): AuditEntry {
  return { action, target: { type: OVERSIGHT_TARGETS[target], id }, tenant, after, reason };
}
