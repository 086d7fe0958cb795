// Search-as-you-type for inputs with data-autocomplete="<API list URL>" and
// data-field="<field submitted>": while the user types, the input's datalist is filled with up
// to 20 matching objects from the API (as the signed-in user), so that no page has to carry
// every object of a large table. Without scripts the input still filters by what is typed.
"use strict";

(function () {
  for (const input of document.querySelectorAll("input[data-autocomplete]")) {
    const list = document.getElementById(input.getAttribute("list"));
    const api = input.dataset.autocomplete;
    const field = input.dataset.field;
    let timer = null;
    let asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const ask = ++asked;
        const query = new URLSearchParams({ brief: "true", limit: "20", q: input.value });
        try {
          const response = await fetch(api + "?" + query, {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          });
          if (!response.ok || ask !== asked) return;
          const page = await response.json();
          list.textContent = "";
          for (const object of page.results || []) {
            const option = document.createElement("option");
            option.value = String(object[field] ?? "");
            option.textContent = String(object.display ?? "");
            list.appendChild(option);
          }
        } catch (_) {
          // Suggestions are a convenience: typing still filters.
        }
      }, 200);
    });
  }
})();
