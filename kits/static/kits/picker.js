// Searchable pickers for tool types and assets on the lab staff's forms (kits/pickers.py).
//
//   <select data-kits-picker="assets" data-picker-url="/admin/kits/pick/assets/?status=in_stock"
//           data-picker-placeholder="…" data-picker-none="…" data-picker-unknown="… %s …">
//
// The select stays in the form and carries the value; a search box with a list of matches takes
// its place. Typing searches the endpoint (name, category, asset tag); a barcode scanner types a tag
// and Enter, and an exact tag is chosen at once. Enter in the box never submits the form. Text left
// in the box that matches nothing is posted as typed, so the form says which field is wrong.
// Without JavaScript the sorted select is used as it is. No inline script, no eval (the CSP).
(function () {
  "use strict";

  var DELAY = 150;
  var count = 0;

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    count += 1;
    var kind = select.dataset.kitsPicker;
    var url = select.dataset.pickerUrl;
    var id = select.id || "kits-picker-" + count;

    var box = document.createElement("div");
    box.className = "kits-picker";
    var input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = select.dataset.pickerPlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.dataset.pickerInput = kind;
    var list = document.createElement("ul");
    list.className = "kits-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var note = document.createElement("p");
    note.className = "kits-picker-note";
    note.setAttribute("role", "status");

    // The field's <label for=…> now names the search box.
    select.id = id + "-select";
    input.id = id;
    list.id = id + "-listbox";
    input.setAttribute("aria-controls", list.id);
    var described = select.getAttribute("aria-describedby");
    if (described) input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    select.hidden = true;
    select.style.display = "none"; // whatever the admin's styles say about selects
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(note);

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function current() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option : null;
    }

    function showCurrent() {
      var option = current();
      input.value = option ? option.text : "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function say(text) {
      note.textContent = text || "";
    }

    function choose(value, label) {
      var option = null;
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === value) option = select.options[i];
      }
      if (!option) {
        option = new Option(label, value);
        select.add(option);
      }
      select.value = value;
      input.value = option.text;
      close();
      say("");
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < items.length; i += 1) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      results = data.results || [];
      list.textContent = "";
      results.forEach(function (row, index) {
        var item = document.createElement("li");
        item.id = id + "-option-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.value = row.value;
        var label = document.createElement("span");
        label.textContent = row.label;
        item.appendChild(label);
        if (row.hint) {
          var hint = document.createElement("small");
          hint.textContent = row.hint;
          item.appendChild(hint);
        }
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say("");
      } else {
        close();
        say(select.dataset.pickerNone || "");
      }
      active = -1;
    }

    function search(text) {
      asked += 1;
      var mine = asked;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      return fetch(url + sep + "q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [], exact: null };
        })
        .then(function (data) {
          return mine === asked ? data : null; // a later search has been asked: this one is stale
        });
    }

    function unknown(text) {
      say((select.dataset.pickerUnknown || "%s").replace("%s", text));
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
        close();
        say("");
        return;
      }
      timer = setTimeout(function () {
        search(text).then(function (data) {
          if (!data) return;
          if (kind === "assets" && data.exact) choose(data.exact.value, data.exact.label);
          else render(data);
        });
      }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(Math.max(0, Math.min(results.length - 1, active + step)));
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter") {
        event.preventDefault(); // a scanner's Enter chooses, it does not submit the form
        if (!list.hidden && active >= 0 && results[active]) {
          choose(results[active].value, results[active].label);
          return;
        }
        var text = input.value.trim();
        var chosen = current();
        if (!text || (chosen && chosen.text === text)) return;
        clearTimeout(timer);
        search(text).then(function (data) {
          if (!data) return;
          if (data.exact) choose(data.exact.value, data.exact.label);
          else if ((data.results || []).length === 1) choose(data.results[0].value, data.results[0].label);
          else if (!(data.results || []).length) {
            close();
            unknown(text);
          } else render(data);
        });
      }
    });

    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the box
      var item = event.target instanceof Element ? event.target.closest("[role=option]") : null;
      if (item) choose(item.dataset.value, item.querySelector("span").textContent);
    });

    input.addEventListener("blur", function () {
      close();
    });

    if (select.form) {
      select.form.addEventListener("submit", function () {
        var text = input.value.trim();
        var chosen = current();
        if (!text) {
          select.value = "";
        } else if (!chosen || chosen.text !== text) {
          // Typed but not chosen: post the text, the form resolves an exact tag or name or says why not.
          var typed = new Option(text, text);
          select.add(typed);
          select.value = text;
        }
      });
    }

    showCurrent();
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("select[data-kits-picker]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("select[data-kits-picker]").forEach(enhance);
  }

  function start() {
    enhanceAll(document);
    // Inline panels (a kit template's parts) add forms later.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) enhanceAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
