import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { graphFromRows, mergeGraphs } from '../../web/src/graph-model.js';

const { Node, Relationship, Path, PathSegment } = neo4j.types;

function person(id: number, name: string) {
  return new Node(id, ['Person'], { name }, `n${id}`);
}
const movie = new Node(9, ['Movie'], { title: 'The Matrix', released: 1999 }, 'n9');

function actedIn(id: number, from: number) {
  return new Relationship(id, from, 9, 'ACTED_IN', {}, `r${id}`, `n${from}`, 'n9');
}

describe('the graph drawn from a result', () => {
  it('takes nodes and relationships from columns, lists and paths, each once', () => {
    const keanu = person(1, 'Keanu');
    const path = new Path(keanu, movie, [new PathSegment(keanu, actedIn(5, 1), movie)]);
    const graph = graphFromRows([[keanu, actedIn(5, 1), movie], [[keanu, movie]], [path]]);
    expect(graph.nodes.map((n) => [n.id, n.caption])).toEqual(
      [['n1', 'Keanu'], ['n9', 'The Matrix']]);
    expect(graph.relationships).toEqual(
      [{ id: 'r5', type: 'ACTED_IN', source: 'n1', target: 'n9' }]);
    expect(graph.truncated).toBe(false);
  });

  it('captions a node without name or title by its label', () => {
    const graph = graphFromRows([[new Node(3, ['Genre'], { size: 'big' }, 'n3')]]);
    expect(graph.nodes[0]?.caption).toBe('Genre');
  });

  it('draws at most the node limit and drops relationships to nodes left out', () => {
    const rows = [1, 2, 3].map((i) => [person(i, `p${i}`), actedIn(10 + i, i), movie]);
    const graph = graphFromRows(rows, 2);
    expect(graph.nodes).toHaveLength(2);
    expect(graph.truncated).toBe(true);
    expect(graph.relationships.map((r) => r.id)).toEqual(['r11']);
  });

  it('adds expanded neighbours without duplicates, within the limit', () => {
    const base = graphFromRows([[person(1, 'Keanu')]]);
    const extra = graphFromRows([[person(1, 'Keanu'), actedIn(5, 1), movie]]);
    const merged = mergeGraphs(base, extra, 10);
    expect(merged.nodes.map((n) => n.id)).toEqual(['n1', 'n9']);
    expect(merged.relationships.map((r) => r.id)).toEqual(['r5']);
    expect(mergeGraphs(base, extra, 1).truncated).toBe(true);
  });
});
