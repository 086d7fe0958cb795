// The API browser of /api/docs/: reads /api/schema/ and lets a signed-in user try each
// operation. No inline code (the Content-Security-Policy forbids it); text is inserted as
// text, never as HTML.
"use strict";

(function () {
  const root = document.getElementById("api-browser");
  const filter = document.getElementById("api-filter");
  if (!root) return;

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function example(schema, schemas, depth) {
    if (!schema || depth > 3) return null;
    if (schema.$ref) return example(schemas[schema.$ref.split("/").pop()], schemas, depth + 1);
    if (schema.oneOf) return example(schema.oneOf[0], schemas, depth + 1);
    if (schema.allOf) return example(schema.allOf[0], schemas, depth + 1);
    if (schema.type === "object" && schema.properties) {
      const out = {};
      for (const [name, property] of Object.entries(schema.properties)) {
        if (!property.readOnly) out[name] = example(property, schemas, depth + 1);
      }
      return out;
    }
    if (schema.type === "array") return [example(schema.items, schemas, depth + 1)];
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    if (schema.type === "integer") return schema.minimum || 1;
    if (schema.type === "boolean") return false;
    return "";
  }

  function operationPanel(path, method, operation, pathParameters, schemas) {
    const parameters = (pathParameters || []).concat(operation.parameters || []);
    const inputs = [];
    const fields = element("div", { class: "api-fields" });
    for (const parameter of parameters) {
      if (parameter.in === "header") continue;
      const input = element("input", { type: "text", name: parameter.name, placeholder: parameter.in });
      inputs.push([parameter, input]);
      fields.appendChild(element("label", {}, [
        element("code", { text: parameter.name }), document.createTextNode(" "), input,
      ]));
    }
    let body = null;
    if (operation.requestBody) {
      const schema = operation.requestBody.content["application/json"].schema;
      body = element("textarea", { rows: "8", cols: "70" });
      body.value = JSON.stringify(example(schema, schemas, 0), null, 2);
      fields.appendChild(element("label", {}, [element("div", { text: "Body (JSON)" }), body]));
    }
    const output = element("pre", { class: "api-output" });
    const send = element("button", { type: "button", text: "Send" });
    send.addEventListener("click", async function () {
      let url = path;
      const query = new URLSearchParams();
      for (const [parameter, input] of inputs) {
        if (!input.value) continue;
        if (parameter.in === "path") url = url.replace("{" + parameter.name + "}", encodeURIComponent(input.value));
        else query.append(parameter.name, input.value);
      }
      if ([...query].length) url += "?" + query.toString();
      const options = { method: method.toUpperCase(), credentials: "same-origin", headers: { Accept: "application/json" } };
      if (body) {
        options.body = body.value;
        options.headers["Content-Type"] = "application/json";
      }
      if (method !== "get") options.headers["X-CSRFToken"] = csrfToken();
      output.textContent = options.method + " " + url + " …";
      try {
        const response = await fetch(url, options);
        const text = await response.text();
        let shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON */ }
        output.textContent = options.method + " " + url + "\n" + response.status + " " + response.statusText + "\n\n" + shown;
      } catch (error) {
        output.textContent = "The request failed: " + error;
      }
    });
    const summary = element("summary", {}, [
      element("span", { class: "api-method api-" + method, text: method.toUpperCase() }),
      element("code", { text: " " + path + " " }),
      element("span", { class: "muted", text: operation.summary || "" }),
    ]);
    const details = element("details", { class: "api-operation" }, [summary, fields, send, output]);
    details.dataset.search = (path + " " + (operation.summary || "")).toLowerCase();
    return details;
  }

  fetch("/api/schema/", { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (spec) {
      const schemas = (spec.components || {}).schemas || {};
      const groups = new Map();
      for (const [path, item] of Object.entries(spec.paths)) {
        for (const method of ["get", "post", "put", "patch", "delete"]) {
          const operation = item[method];
          if (!operation) continue;
          const tag = (operation.tags || ["other"])[0];
          if (!groups.has(tag)) groups.set(tag, []);
          groups.get(tag).push(operationPanel(path, method, operation, item.parameters, schemas));
        }
      }
      root.textContent = "";
      for (const [tag, panels] of [...groups].sort()) {
        root.appendChild(element("h2", { text: tag }));
        for (const panel of panels) root.appendChild(panel);
      }
      if (filter) {
        filter.addEventListener("input", function () {
          const needle = filter.value.toLowerCase();
          for (const panel of root.querySelectorAll(".api-operation")) {
            panel.hidden = needle !== "" && !panel.dataset.search.includes(needle);
          }
        });
      }
    })
    .catch(function (error) {
      root.textContent = "The OpenAPI document could not be read: " + error.message;
    });
})();
