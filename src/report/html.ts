// HTML building blocks of the report (pure): sections, figures with their data tables, plain tables.
import { esc, num } from "./escape.js";

export type Cell = string | number | null | undefined;

// A cell's text: numbers formatted, strings escaped, null as "n/a".
export const cell = (v: Cell): string => (typeof v === "number" || v === null || v === undefined ? esc(num(v ?? null)) : esc(v));

// A table of values (every string escaped); `caption` says what it holds.
export function table(caption: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`).join("");
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

// A chart with its text alternative: the same numbers as a table, folded under it.
export function figure(name: string, chart: string, dataTable: string, note = ""): string {
  return `<figure data-chart="${esc(name)}">${chart}${note ? `<figcaption>${note}</figcaption>` : ""}<details><summary>The numbers behind this chart</summary>${dataTable}</details></figure>`;
}

// A titled section of the page.
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>${body}</section>`;
}

// Label: value lines (values already HTML).
export function facts(rows: readonly [string, string][]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}
