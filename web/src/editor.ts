/**
 * The query editor: CodeMirror 6 with Neo4j's Cypher language support (highlighting, linting,
 * completion from the schema), Ctrl/Cmd+Enter to run, Ctrl/Cmd+Up and Down through history.
 */
import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { createCypherEditor, type EditorApi } from '@neo4j-cypher/codemirror';
import '@neo4j-cypher/codemirror/css/cypher-codemirror.css';
import type { QueryHistory } from './history.js';

type EditorSupportSchema = NonNullable<Parameters<EditorApi['setSchema']>[0]>;

export interface QueryEditor {
  value(): string;
  setValue(text: string): void;
  setSchema(schema: EditorSupportSchema): void;
  focus(): void;
}

export function createQueryEditor(parent: HTMLElement, options: {
  readonly history: QueryHistory;
  readonly onRun: (text: string) => void;
}): QueryEditor {
  let api: EditorApi | null = null;
  const current = (): EditorApi => {
    if (api === null) throw new Error('The editor is not ready');
    return api;
  };
  const show = (text: string | null): boolean => {
    if (text === null) return false;
    current().setValue(text);
    current().setPosition(text.length);
    return true;
  };
  const keys = Prec.highest(keymap.of([
    { key: 'Mod-Enter', run: () => { options.onRun(current().codemirror.state.doc.toString());
      return true; } },
    { key: 'Mod-ArrowUp', run: () => show(options.history.previous()) },
    { key: 'Mod-ArrowDown', run: () => show(options.history.next()) },
  ]));
  // Version 1.0.3 returns `{ editor }`, although its typings promise the EditorApi itself.
  const created: unknown = createCypherEditor(parent, { value: '', lineNumbers: true,
    lineWrapping: true, placeholder: 'MATCH (n) RETURN n LIMIT 25    (Ctrl+Enter runs)',
    preExtensions: [keys], autofocus: true, theme: 'light' });
  api = (created as { readonly editor: EditorApi }).editor;
  return {
    value: () => current().codemirror.state.doc.toString(),
    setValue: (text) => { show(text); },
    setSchema: (schema) => current().setSchema(schema),
    focus: () => current().focus(),
  };
}
