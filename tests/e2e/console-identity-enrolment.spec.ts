// Face enrolment in Chromium with a fake webcam playing obama-1.jpg: the institution takes the
// reference photo live (countdown, still, confirm), a two-person upload is refused with the gate's
// message, and the same face enrolled for a second trainee of the program is held for review.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdCheckChar } from '@app/identity';
import { inTab, loginAt, makeFakeCameraY4m, screenshot, startConsoleApp, type ConsoleApp } from '../support/browser';
import { activate, call, demoPasswords } from '../support/auth-client';

jest.setTimeout(300_000);

const FACES = join(__dirname, '../../../shared/fixtures/faces');
const shotsDir = join(tmpdir(), `gsyf-console-enrolment-shots-${process.pid}`);
/** The face engine loads its models on the first enrolment. */
const ENGINE_TIMEOUT = 180_000;

let consoleApp: ConsoleApp;
let camera: string;
let password: string;
let auditorPassword: string;
const trainees: string[] = [];

beforeAll(async () => {
  await mkdir(shotsDir, { recursive: true });
  camera = await makeFakeCameraY4m(join(FACES, 'obama-1.jpg'));
  consoleApp = await startConsoleApp('console-enrolment', { fakeCameraY4m: camera });
  const { app, baseUrl } = consoleApp.app;
  const institution = await activate(baseUrl, 'yc-institution', demoPasswords(app).get('yc-institution')!);
  password = institution.password;
  auditorPassword = (await activate(baseUrl, 'yc-hrss', demoPasswords(app).get('yc-hrss')!)).password;
  const token = institution.accessToken;
  const programId = (await call(baseUrl, 'GET', '/api/v1/programs')).body.items.find((p: { code: string }) => p.code === 'YC-2025-MINING').id;
  const enterpriseId = (await call(baseUrl, 'GET', '/api/v1/organisations?kind=enterprise', { token })).body.items[0].id;
  const version = (await call(baseUrl, 'GET', '/api/v1/consents/face-text', { token })).body.version;
  // Two trainees with logins, each having granted face-data consent themselves.
  for (const n of [1, 2]) {
    const body17 = `2307021986020200${n}`;
    const reg = await call(baseUrl, 'POST', '/api/v1/trainees', {
      token,
      body: { programId, name: `采集学员${n}`, idNumber: body17 + residentIdCheckChar(body17), enterpriseId, category: 'team_leader' },
    });
    const account = await call(baseUrl, 'POST', `/api/v1/trainees/${reg.body.id}/account`, { token, body: { username: `enrol-${n}` } });
    const own = await activate(baseUrl, `enrol-${n}`, account.body.initialPassword);
    const granted = await call(baseUrl, 'POST', `/api/v1/trainees/${reg.body.id}/face-consent`, { token: own.accessToken, body: { textVersion: version } });
    expect(granted.status).toBe(200);
    trainees.push(reg.body.id);
  }
}, 180_000);

afterAll(async () => {
  await consoleApp?.stop();
  if (camera) await rm(camera, { force: true });
});

test('institution: webcam enrolment with countdown, a refused two-person upload, a look-alike held for review', async () => {
  const { baseUrl } = consoleApp.app;
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-institution', password, `/institution/trainees/${trainees[0]}`);
    const card = page.getByTestId('face-enrolment');
    await card.getByText('尚无底库照片').waitFor();

    await card.getByRole('button', { name: '摄像头拍照' }).click();
    const modal = page.locator('.ant-modal', { hasText: '摄像头拍照' });
    // The fake camera plays: the preview has real frames before the shutter is offered.
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid=webcam-video]');
      return !!v && v.videoWidth > 0 && v.readyState >= 2;
    });
    await modal.getByRole('button', { name: /拍\s*照/ }).click();
    await modal.getByTestId('webcam-countdown').waitFor();
    await modal.getByTestId('webcam-photo').waitFor();
    await screenshot(page, shotsDir, 'enrolment-webcam-still');
    await modal.getByRole('button', { name: '使用此照片' }).click();

    // Accepted by the engine's gates (one sharp, frontal face), so the still is the photo, not a test pattern.
    const first = card.getByTestId('face-reference');
    const refusal = card.getByTestId('enrolment-refusal');
    await first.or(refusal).first().waitFor({ timeout: ENGINE_TIMEOUT });
    expect(await refusal.count() ? await refusal.textContent() : 'accepted').toBe('accepted');
    await first.first().getByText('有效').waitFor();
    await first.first().getByText(/摄像头拍摄/).waitFor();
    expect(await first.count()).toBe(1);

    // A second photo needs a reason; two people in it are refused with the gate's message.
    await card.getByLabel('采集原因').fill('补充一张正面照片');
    await card.locator('input[type=file]').setInputFiles(join(FACES, 'two-people.jpg'));
    await card.getByTestId('enrolment-refusal').getByText(/多张人脸/).waitFor({ timeout: ENGINE_TIMEOUT });
    expect(await first.count()).toBe(1);
    await screenshot(page, shotsDir, 'enrolment-refused');

    // The same person for another trainee of the program: kept, but held for review.
    await page.goto(`${baseUrl}/institution/trainees/${trainees[1]}`);
    await card.getByText('尚无底库照片').waitFor();
    await card.locator('input[type=file]').setInputFiles(join(FACES, 'obama-2.jpg'));
    await card.getByTestId('face-reference').first().getByText(/待审核/).waitFor({ timeout: ENGINE_TIMEOUT });
    await page.getByText('须经监管部门审核后才能用于核验').waitFor();
    await screenshot(page, shotsDir, 'enrolment-held');
  }, { allowHttpRefusals: true });
});

test('auditor: the held photo beside the look-alike, rejected with a reason, gone from the queue', async () => {
  const { baseUrl } = consoleApp.app;
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-hrss', auditorPassword, '/auditor/face-reviews');
    const item = page.getByTestId('face-review');
    await item.waitFor();
    expect(await item.count()).toBe(1);
    await item.getByText('采集学员2').waitFor();
    await item.getByText('采集学员1').waitFor();
    // Auditors see masked ID numbers only.
    await item.getByText(/^2307\*{10}\d{3}[\dX]$/).first().waitFor();
    // Both photos load under the auditor's token.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=face-review] img').length >= 2);
    await screenshot(page, shotsDir, 'enrolment-auditor-review');

    await item.getByRole('button', { name: /审\s*核/ }).click();
    const form = page.getByRole('form', { name: '审核人脸底库照片' });
    await form.getByLabel('审核意见').fill('与采集学员1为同一人，疑似一人多号');
    await form.getByRole('button', { name: /提\s*交/ }).click();
    await page.getByText('没有待审核的照片').waitFor();

    const token = (await call(baseUrl, 'POST', '/api/v1/auth/login', { body: { username: 'yc-hrss', password: auditorPassword } })).body.accessToken;
    const history = await call(baseUrl, 'GET', `/api/v1/trainees/${trainees[1]}/face-references`, { token });
    expect(history.body.items[0]).toMatchObject({ status: 'rejected', review: { decision: 'reject', reason: '与采集学员1为同一人，疑似一人多号' } });
  });
});

test('institution: after the rejection the card says so, and the trainee is enrolled again without a reason', async () => {
  const { baseUrl } = consoleApp.app;
  await inTab(consoleApp.browser, async (page) => {
    await loginAt(page, baseUrl, 'yc-institution', password, `/institution/trainees/${trainees[1]}`);
    const card = page.getByTestId('face-enrolment');
    const rejected = card.getByTestId('face-reference').first();
    await rejected.getByText('审核未通过').waitFor();
    await rejected.getByText('请重新采集本人照片', { exact: false }).waitFor();
    expect(await card.getByText('待监管部门审核', { exact: false }).count()).toBe(0);
    expect(await card.getByLabel('采集原因').count()).toBe(0);

    await card.locator('input[type=file]').setInputFiles(join(FACES, 'rose-1.jpg'));
    await card.getByTestId('face-reference').first().getByText('有效').waitFor({ timeout: ENGINE_TIMEOUT });
    expect(await card.getByTestId('enrolment-refusal').count()).toBe(0);

    // Now a further photo asks for the reason under its field, once, not as a doubled refusal.
    await card.locator('input[type=file]').setInputFiles(join(FACES, 'rose-2.jpg'));
    const reasonItem = card.locator('.ant-form-item', { has: page.getByLabel('采集原因') });
    await reasonItem.locator('.ant-form-item-explain-error').waitFor();
    expect(await card.getByTestId('enrolment-refusal').count()).toBe(0);
    await screenshot(page, shotsDir, 'enrolment-after-rejection');
  }, { allowHttpRefusals: true });
});
