// Renders the API reference from /api/v1/openapi.json: one section per tag, one card
// per operation with its parameters, body fields and answers. No external assets.
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function resolve(doc, schema) {
  if (schema && schema.$ref) {
    return doc.components.schemas[schema.$ref.split("/").pop()] || {};
  }
  return schema || {};
}

function typeOf(doc, schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.oneOf) return schema.oneOf.map((s) => typeOf(doc, s)).join(" | ");
  let type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || "";
  if (type.startsWith("array") || schema.items) type = "array of " + typeOf(doc, schema.items);
  if (schema.format) type += " (" + schema.format + ")";
  return type;
}

function fieldTable(doc, schema) {
  const resolved = resolve(doc, schema);
  const props = resolved.properties || {};
  const names = Object.keys(props);
  if (names.length === 0) return el("p", typeOf(doc, schema));
  const wrap = el("div", undefined, "table-wrap");
  const table = el("table");
  const head = el("tr");
  ["Field", "Type", "Required", "Meaning"].forEach((h) => {
    const th = el("th", h);
    th.scope = "col";
    head.appendChild(th);
  });
  table.appendChild(el("thead")).appendChild(head);
  const body = el("tbody");
  const required = resolved.required || [];
  names.forEach((name) => {
    const row = el("tr");
    row.appendChild(el("td")).appendChild(el("code", name));
    row.appendChild(el("td", typeOf(doc, props[name])));
    row.appendChild(el("td", required.includes(name) ? "yes" : "no"));
    row.appendChild(el("td", props[name].description || ""));
    body.appendChild(row);
  });
  table.appendChild(body);
  wrap.appendChild(table);
  return wrap;
}

function operationCard(doc, method, path, op) {
  const card = el("section", undefined, "card");
  const title = el("h3");
  title.appendChild(el("code", method.toUpperCase() + " " + path));
  card.appendChild(title);
  if (op.summary) card.appendChild(el("p", op.summary));
  if (op.description && op.description !== op.summary) card.appendChild(el("p", op.description));
  if (op.parameters && op.parameters.length) {
    card.appendChild(el("h4", "Parameters"));
    const list = el("ul");
    op.parameters.forEach((p) => {
      const item = el("li");
      item.appendChild(el("code", p.name));
      item.appendChild(document.createTextNode(
        " (" + p.in + (p.required ? ", required" : "") + ") " + (p.description || "")));
      list.appendChild(item);
    });
    card.appendChild(list);
  }
  const body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
  if (body) {
    card.appendChild(el("h4", "Body"));
    card.appendChild(fieldTable(doc, body.schema));
  }
  card.appendChild(el("h4", "Answers"));
  const answers = el("ul");
  Object.entries(op.responses || {}).forEach(([status, response]) => {
    const content = response.content && response.content["application/json"];
    const item = el("li");
    item.appendChild(el("strong", status));
    item.appendChild(document.createTextNode(" " + (response.description || "") +
      (content ? " — " + typeOf(doc, content.schema) : "")));
    answers.appendChild(item);
  });
  card.appendChild(answers);
  return card;
}

function render(doc) {
  const root = document.getElementById("reference");
  root.textContent = "";
  const tags = doc.tags || [];
  tags.forEach((tag) => {
    const section = el("section");
    section.appendChild(el("h2", tag.description || tag.name));
    Object.entries(doc.paths).forEach(([path, methods]) => {
      Object.entries(methods).forEach(([method, op]) => {
        if ((op.tags || []).includes(tag.name)) section.appendChild(operationCard(doc, method, path, op));
      });
    });
    root.appendChild(section);
  });
  root.appendChild(el("h2", "Types"));
  Object.entries(doc.components.schemas).forEach(([name, schema]) => {
    const card = el("section", undefined, "card");
    card.appendChild(el("h3")).appendChild(el("code", name));
    if (schema.description) card.appendChild(el("p", schema.description));
    if (schema.enum) card.appendChild(el("p", "One of: " + schema.enum.join(", ")));
    else card.appendChild(fieldTable(doc, schema));
    root.appendChild(card);
  });
}

fetch("/api/v1/openapi.json")
  .then((r) => r.json())
  .then(render)
  .catch(() => {
    document.getElementById("reference").textContent = "The reference could not be loaded.";
  });
