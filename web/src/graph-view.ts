/**
 * Draws a GraphModel with Cytoscape.js: nodes coloured and captioned by label, relationships
 * labelled by type, pan and zoom, a force-directed layout, and a double-click on a node to
 * fetch and add its neighbours.
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { GraphModel } from './graph-model.js';

const PALETTE = ['#68bdf6', '#6dce9e', '#ff756e', '#de9bf9', '#fb95af', '#ffd86e', '#a5abb6',
  '#4c8eda', '#ffc454', '#da7194', '#569480', '#f79767'];

/** The same label gets the same colour in every frame and every session. */
export function labelColour(label: string | undefined): string {
  if (label === undefined) return '#a5abb6';
  let hash = 0;
  for (let index = 0; index < label.length; index += 1) {
    hash = (hash * 31 + label.charCodeAt(index)) >>> 0;
  }
  return PALETTE[hash % PALETTE.length] ?? '#a5abb6';
}

function elements(model: GraphModel): ElementDefinition[] {
  const nodes = model.nodes.map((node): ElementDefinition => ({ group: 'nodes', data: {
    id: node.id, caption: node.caption, colour: labelColour(node.labels[0]),
    labels: node.labels.join(':') } }));
  const edges = model.relationships.map((rel): ElementDefinition => ({ group: 'edges', data: {
    id: rel.id, source: rel.source, target: rel.target, type: rel.type } }));
  return [...nodes, ...edges];
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(caption)',
    'font-size': 10, 'text-valign': 'center', 'text-halign': 'center', width: 46, height: 46,
    'text-wrap': 'ellipsis', 'text-max-width': '42px', color: '#222' } },
  { selector: 'edge', style: { label: 'data(type)', 'font-size': 8, 'curve-style': 'bezier',
    'target-arrow-shape': 'triangle', width: 1.5, 'line-color': '#a5abb6',
    'target-arrow-color': '#a5abb6', 'text-rotation': 'autorotate',
    'text-background-color': '#fff', 'text-background-opacity': 1 } },
];

export class GraphView {
  private readonly cy: Core;

  constructor(private readonly container: HTMLElement, private model: GraphModel,
    onExpand: (nodeId: string) => Promise<GraphModel>) {
    this.cy = cytoscape({ container, elements: elements(model), style: STYLE,
      layout: { name: 'cose', animate: false }, wheelSensitivity: 0.3 });
    this.markDrawn();
    this.cy.on('dbltap', 'node', (event) => {
      const nodeId = String(event.target.id());
      void onExpand(nodeId).then((merged) => this.show(merged));
    });
  }

  show(model: GraphModel): void {
    this.model = model;
    this.cy.elements().remove();
    this.cy.add(elements(model));
    this.cy.layout({ name: 'cose', animate: false }).run();
    this.markDrawn();
  }

  /** What is on the canvas, for the caption under it and for tests, which cannot read pixels. */
  private markDrawn(): void {
    const nodes = this.cy.nodes().length;
    const relationships = this.cy.edges().length;
    this.container.dataset['nodeCount'] = String(nodes);
    this.container.dataset['relationshipCount'] = String(relationships);
    this.container.title = `${nodes} nodes, ${relationships} relationships`;
  }

  current(): GraphModel {
    return this.model;
  }

  /** Cytoscape measures its container; a hidden tab has none until it is shown. */
  refit(): void {
    this.cy.resize();
    this.cy.fit(undefined, 20);
  }
}
