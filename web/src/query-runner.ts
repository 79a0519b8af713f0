/**
 * Runs what the editor holds, unit by unit, each into a frame of its own, newest on top.
 * `:param` values are Cypher expressions evaluated by the server, as Neo4j Browser does.
 */
import type { Connection } from './connection.js';
import { describeError } from './error-text.js';
import { graphFromRows, mergeGraphs, type GraphModel } from './graph-model.js';
import { errorFrame, messageFrame, resultFrame } from './result-frame.js';
import { splitStatements, type ConsoleUnit } from './statements.js';
import { valueText } from './value-text.js';

/** Older frames are dropped past this, so a long session does not grow the page forever. */
export const FRAMES_MAX = 30;
const NEIGHBOURS_MAX = 100;

export class QueryRunner {
  private readonly params: Record<string, unknown> = {};

  constructor(private readonly connection: Connection, private readonly frames: HTMLElement) {}

  async runAll(input: string): Promise<void> {
    let units: ConsoleUnit[];
    try {
      units = splitStatements(input);
    } catch (error) {
      this.show(errorFrame(input, describeError(error)));
      return;
    }
    for (const unit of units) {
      // A failing statement stops the rest, as a script would.
      if (!(await this.runUnit(unit))) return;
    }
  }

  parameters(): Readonly<Record<string, unknown>> {
    return this.params;
  }

  private async runUnit(unit: ConsoleUnit): Promise<boolean> {
    switch (unit.kind) {
      case 'cypher': return this.runCypher(unit.text);
      case 'param': return this.setParam(unit.name, unit.expression);
      case 'params':
        this.show(messageFrame(':params', this.paramsText()));
        return true;
      case 'clear-params':
        for (const key of Object.keys(this.params)) delete this.params[key];
        this.show(messageFrame(':params clear', 'Parameters cleared.'));
        return true;
      case 'clear-frames':
        this.frames.replaceChildren();
        return true;
      case 'unknown-command':
        this.show(errorFrame(unit.text, { code: 'UnknownCommand',
          message: 'Known commands: :param name => value, :params, :params clear, :clear' }));
        return false;
    }
  }

  private async runCypher(text: string): Promise<boolean> {
    try {
      const result = await this.connection.run(text, this.params);
      this.show(resultFrame(text, result, (id, current) => this.expand(id, current)));
      return true;
    } catch (error) {
      this.show(errorFrame(text, describeError(error)));
      return false;
    }
  }

  private async setParam(name: string, expression: string): Promise<boolean> {
    const statement = `:param ${name} => ${expression}`;
    try {
      const result = await this.connection.run(`RETURN ${expression} AS value`, this.params);
      this.params[name] = result.records[0]?.get('value') ?? null;
      this.show(messageFrame(statement, this.paramsText()));
      return true;
    } catch (error) {
      this.show(errorFrame(statement, describeError(error)));
      return false;
    }
  }

  private async expand(nodeId: string, current: GraphModel): Promise<GraphModel> {
    const result = await this.connection.run('MATCH (n)-[r]-(m) WHERE elementId(n) = $id ' +
      `RETURN n, r, m LIMIT ${NEIGHBOURS_MAX}`, { id: nodeId });
    const rows = result.records.map((record) => record.keys.map((key) => record.get(key)));
    return mergeGraphs(current, graphFromRows(rows));
  }

  private paramsText(): string {
    const entries = Object.entries(this.params);
    if (entries.length === 0) return 'No parameters set.';
    return entries.map(([key, value]) => `${key}: ${valueText(value)}`).join('\n');
  }

  private show(frame: HTMLElement): void {
    this.frames.prepend(frame);
    while (this.frames.children.length > FRAMES_MAX) this.frames.lastElementChild?.remove();
  }
}
