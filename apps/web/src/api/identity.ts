import { api, unwrap } from './client';
import { sendRaw } from './raw';
import type { components, operations } from './schema';

type Schemas = components['schemas'];
export type Organisation = Schemas['OrganisationDto'];
export type OrganisationKind = Organisation['kind'];
export type CreateOrganisation = Schemas['CreateOrganisationDto'];
export type Trainee = Schemas['TraineeDto'];
export type TraineeStatus = Trainee['status'];
export type TraineeQuery = NonNullable<operations['TraineesController_list']['parameters']['query']>;
export type TraineePage = Schemas['TraineeListDto'];
export type ConsentText = Schemas['ConsentTextDto'];
export type FaceConsentStatus = Schemas['FaceConsentStatusDto'];
export type FaceConsent = Schemas['FaceConsentDto'];
export type User = Schemas['UserDto'];
export type CreateUser = Schemas['CreateUserDto'];
export type CreatedUser = Schemas['CreatedUserDto'];
export type ResetPassword = Schemas['ResetPasswordDto'];

export async function fetchOrganisations(signal?: AbortSignal, kind?: OrganisationKind): Promise<Organisation[]> {
  return (await unwrap(api.GET('/api/v1/organisations', { params: { query: kind ? { kind } : {} }, signal }))).items;
}

export function createOrganisation(body: CreateOrganisation): Promise<Organisation> {
  return unwrap(api.POST('/api/v1/organisations', { body }));
}

export function fetchTrainees(query: TraineeQuery, signal?: AbortSignal): Promise<TraineePage> {
  return unwrap(api.GET('/api/v1/trainees', { params: { query }, signal }));
}

export function fetchTrainee(id: string, signal?: AbortSignal): Promise<Trainee> {
  return unwrap(api.GET('/api/v1/trainees/{id}', { params: { path: { id } }, signal }));
}

export function fetchConsentText(signal?: AbortSignal): Promise<ConsentText> {
  return unwrap(api.GET('/api/v1/consents/face-text', { signal }));
}

export function fetchFaceConsent(traineeId: string, signal?: AbortSignal): Promise<FaceConsentStatus> {
  return unwrap(api.GET('/api/v1/trainees/{id}/face-consent', { params: { path: { id: traineeId } }, signal }));
}

export function grantFaceConsent(traineeId: string, textVersion: string): Promise<FaceConsentStatus> {
  return unwrap(api.POST('/api/v1/trainees/{id}/face-consent', { params: { path: { id: traineeId } }, body: { textVersion } }));
}

export function withdrawFaceConsent(traineeId: string): Promise<FaceConsentStatus> {
  return unwrap(api.POST('/api/v1/trainees/{id}/face-consent/withdraw', { params: { path: { id: traineeId } } }));
}

/** The institution records the signed paper form (multipart, so through fetch like other uploads). */
export async function recordPaperConsent(traineeId: string, input: { scan: File; signedOn: string; textVersion: string }): Promise<FaceConsentStatus> {
  const form = new FormData();
  form.append('textVersion', input.textVersion);
  form.append('signedOn', input.signedOn);
  form.append('scan', input.scan, input.scan.name);
  const response = await sendRaw(new Request(`/api/v1/trainees/${encodeURIComponent(traineeId)}/face-consent/paper`, { method: 'POST', body: form }));
  return (await response.json()) as FaceConsentStatus;
}

export function recordPaperWithdrawal(traineeId: string, reason: string): Promise<FaceConsentStatus> {
  return unwrap(api.POST('/api/v1/trainees/{id}/face-consent/paper-withdrawal', { params: { path: { id: traineeId } }, body: { reason } }));
}

/** Where the scanned form behind a paper grant is served (face-consent evidence is never cached). */
export function consentScanPath(traineeId: string, consentId: string): string {
  return `/api/v1/trainees/${encodeURIComponent(traineeId)}/face-consent/${encodeURIComponent(consentId)}/scan`;
}

export async function fetchUsers(signal?: AbortSignal): Promise<User[]> {
  return (await unwrap(api.GET('/api/v1/users', { signal }))).items;
}

export function createUser(body: CreateUser): Promise<CreatedUser> {
  return unwrap(api.POST('/api/v1/users', { body }));
}

export function setUserDisabled(id: string, disabled: boolean): Promise<User> {
  return unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { disabled } }));
}

export function resetUserPassword(id: string): Promise<ResetPassword> {
  return unwrap(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id } } }));
}

export type RegisterTrainee = Schemas['RegisterTraineeDto'];

export function registerTrainee(body: RegisterTrainee): Promise<Trainee> {
  return unwrap(api.POST('/api/v1/trainees', { body }));
}

export type TraineeAccount = Schemas['TraineeAccountDto'];

export function fetchTraineeAccount(traineeId: string, signal?: AbortSignal): Promise<TraineeAccount> {
  return unwrap(api.GET('/api/v1/trainees/{id}/account', { params: { path: { id: traineeId } }, signal }));
}

export function resetTraineePassword(traineeId: string): Promise<ResetPassword> {
  return unwrap(api.POST('/api/v1/trainees/{id}/account/reset-password', { params: { path: { id: traineeId } } }));
}

export function createTraineeAccount(traineeId: string, username: string): Promise<CreatedUser> {
  return unwrap(api.POST('/api/v1/trainees/{id}/account', { params: { path: { id: traineeId } }, body: { username } }));
}
