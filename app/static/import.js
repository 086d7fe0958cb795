// Bulk import: a chosen file's text goes into the form's data box (the form posts text).
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-import-into]")) {
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      const box = document.getElementById(input.dataset.importInto);
      if (!file || !box) return;
      file.text().then((text) => { box.value = text; });
    });
  }
});
