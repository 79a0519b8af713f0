/**
 * The console page: the login (with the forced first password change), then the query view
 * and the cluster view over one connection; logging out closes it and shows the login again.
 */
import { ClusterView } from './cluster-view.js';
import { Connection } from './connection.js';
import { byId } from './dom.js';
import { createQueryEditor, type QueryEditor } from './editor.js';
import { describeError } from './error-text.js';
import { QueryHistory } from './history.js';
import { QueryRunner } from './query-runner.js';
import { loadSchema, renderSchema } from './schema-sidebar.js';

interface Session {
  readonly connection: Connection;
  readonly cluster: ClusterView;
}

const history = new QueryHistory();
let session: Session | null = null;
let pending: Connection | null = null;
let editor: QueryEditor | null = null;

/** The Bolt address this member advertises in its discovery document, else the page's host. */
async function defaultUrl(): Promise<string> {
  try {
    const response = await fetch('/', { headers: { Accept: 'application/json' } });
    const body: unknown = await response.json();
    const bolt = (body as Record<string, unknown>)['bolt_direct'];
    if (typeof bolt === 'string') return bolt;
  } catch {
    // Served without a discovery document (a development server): fall through.
  }
  return `bolt://${location.hostname}:7687`;
}

function showOnly(id: 'login-form' | 'password-form' | 'workspace'): void {
  for (const each of ['login-form', 'password-form', 'workspace']) byId(each).hidden = each !== id;
  byId('logout').hidden = id !== 'workspace';
}

async function refreshSchema(connection: Connection, runner: QueryRunner): Promise<void> {
  const schema = await loadSchema(connection).catch(() => null);
  if (schema === null) return;
  renderSchema(byId('schema'), schema, {
    run: (query) => { void runText(runner, connection, query); },
    edit: (query) => { editor?.setValue(query); editor?.focus(); },
  });
  editor?.setSchema({ labels: schema.labels, relationshipTypes: schema.relationshipTypes,
    propertyKeys: schema.propertyKeys, parameters: Object.keys(runner.parameters()),
    // SHOW PROCEDURES lists no signatures; the names alone still complete.
    procedures: schema.procedures.map((p) => ({ name: p.name, signature: '', returnItems: [] })),
  });
}

async function runText(runner: QueryRunner, connection: Connection, text: string):
  Promise<void> {
  if (text.trim() === '') return;
  history.add(text);
  await runner.runAll(text);
  await refreshSchema(connection, runner);
}

function enterWorkspace(connection: Connection): void {
  const runner = new QueryRunner(connection, byId('frames'));
  byId('frames').replaceChildren();
  const editorHost = byId('editor');
  editorHost.replaceChildren();
  const run = (text: string): void => { void runText(runner, connection, text); };
  editor = createQueryEditor(editorHost, { history, onRun: run });
  byId('run').onclick = () => run(editor?.value() ?? '');
  const cluster = new ClusterView(byId('cluster-view'), connection);
  cluster.start();
  session = { connection, cluster };
  byId('connected-as').textContent = `${connection.user} @ ${connection.url}`;
  showOnly('workspace');
  void refreshSchema(connection, runner);
}

async function onLogin(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const url = byId<HTMLInputElement>('login-url').value.trim();
  const error = byId('login-error');
  error.textContent = '';
  byId<HTMLButtonElement>('login-submit').disabled = true;
  try {
    const outcome = await Connection.login(url, byId<HTMLInputElement>('login-user').value,
      byId<HTMLInputElement>('login-password').value);
    if (outcome.kind === 'connected') enterWorkspace(outcome.connection);
    else {
      pending = outcome.connection;
      showOnly('password-form');
    }
  } catch (thrown) {
    const shown = describeError(thrown, { url });
    error.textContent = `${shown.code}: ${shown.message}`;
  } finally {
    byId<HTMLButtonElement>('login-submit').disabled = false;
  }
}

async function onPasswordChange(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = byId('password-error');
  const password = byId<HTMLInputElement>('new-password').value;
  if (password !== byId<HTMLInputElement>('new-password-again').value) {
    error.textContent = 'The two passwords differ.';
    return;
  }
  if (pending === null) return;
  try {
    const connection = await pending.changePassword(password);
    pending = null;
    enterWorkspace(connection);
  } catch (thrown) {
    const shown = describeError(thrown);
    error.textContent = `${shown.code}: ${shown.message}`;
  }
}

async function logout(): Promise<void> {
  const current = session;
  session = null;
  current?.cluster.stop();
  await current?.connection.close();
  byId('connected-as').textContent = '';
  showOnly('login-form');
}

function switchView(target: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('.views button')) {
    const view = button.dataset['view'] ?? '';
    button.classList.toggle('active', view === target);
    byId(view).hidden = view !== target;
  }
}

function wire(): void {
  byId<HTMLFormElement>('login-form').addEventListener('submit', (e) => { void onLogin(e); });
  byId<HTMLFormElement>('password-form')
    .addEventListener('submit', (e) => { void onPasswordChange(e); });
  byId('logout').addEventListener('click', () => { void logout(); });
  for (const button of document.querySelectorAll<HTMLButtonElement>('.views button')) {
    button.addEventListener('click', () => switchView(button.dataset['view'] ?? ''));
  }
  void defaultUrl().then((url) => {
    const input = byId<HTMLInputElement>('login-url');
    if (input.value === '') input.value = url;
  });
}

wire();
