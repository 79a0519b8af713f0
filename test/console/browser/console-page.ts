/** What a user does in the console, as steps the browser tests and the screenshot script share. */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export async function login(page: Page, url: string, user: string, password: string):
  Promise<void> {
  await page.fill('#login-url', url);
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

/** Types the text into the editor in place of what is there and runs it with Ctrl+Enter. */
export async function runInEditor(page: Page, query: string): Promise<void> {
  await page.locator('#editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.keyboard.press('Control+Enter');
}

/** The newest result frame whose statement is `statement`, once it is shown. */
export async function frameOf(page: Page, statement: string): Promise<Locator> {
  const frame = page.locator('#frames .frame').filter({
    has: page.locator('.frame-statement', { hasText: statement }) }).first();
  await frame.waitFor();
  return frame;
}

/** Like frameOf, for a statement that must succeed: an error frame fails with its text. */
export async function resultFrameOf(page: Page, statement: string): Promise<Locator> {
  const frame = await frameOf(page, statement);
  if (await frame.locator('.error-code').count() > 0) {
    const code = await frame.locator('.error-code').textContent();
    const message = await frame.locator('.error-message').textContent();
    throw new Error(`${statement.slice(0, 60)} failed: ${code ?? ''}: ${message ?? ''}`);
  }
  return frame;
}

export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

/** The cluster view's rows as [member id, role, health], sorted by member id. */
export async function clusterRows(page: Page): Promise<string[][]> {
  return page.locator('#cluster-view tr.member').evaluateAll((rows) => rows.map((row) =>
    [row.getAttribute('data-member') ?? '', row.getAttribute('data-role') ?? '',
      /member-(\w+)/.exec(row.className)?.[1] ?? '']));
}
