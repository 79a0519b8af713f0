/** Small DOM helpers: elements are built with text content only, never from HTML strings. */

export function element<K extends keyof HTMLElementTagNameMap>(tag: K,
  attributes: Readonly<Record<string, string>> = {}, ...children: (Node | string)[]):
  HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  made.append(...children);
  return made;
}

export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}`);
  return found as T;
}
