// Long pick-lists as search boxes. A <select data-picklist="URL"> gets a search box that asks URL
// (?q=typed text) for at most a screenful of matches from the same scoped list the form validates
// against, and picks the chosen one in the select. A single select stays on the page below the box;
// a multiple select (a meeting's people) becomes a row of removable names. Without this script the
// plain select still works. The texts come from data attributes, translated by the server.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var counter = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function optionFor(select, id, label) {
    var value = String(id);
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) {
        return select.options[i];
      }
    }
    var option = new Option(label, value);
    select.appendChild(option);
    return option;
  }

  function enhance(select) {
    var multiple = select.multiple;
    var texts = select.dataset;
    var box = element("div", "cp-picklist");
    var chips = multiple ? element("ul", "cp-picklist-chips") : null;
    var input = element("input", "form-control");
    var list = element("ul", "cp-picklist-results list-group");
    var status = element("div", "visually-hidden");
    var listId = (select.id || "picklist") + "-results-" + (++counter);
    var label = document.querySelector('label[for="' + select.id + '"]');
    var active = -1;
    var asked = 0;
    var timer = null;

    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = texts.picklistPlaceholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("data-picklist-search", select.name);
    if (label) {
      input.setAttribute("aria-label", label.textContent.replace("*", "").trim() + " " + input.placeholder);
    }
    list.id = listId;
    list.hidden = true;
    list.setAttribute("role", "listbox");
    status.setAttribute("role", "status");

    if (multiple) {
      box.appendChild(chips);
      // The people chosen show as names; the select behind them still carries the form's value.
      select.hidden = true;
      if (label) {
        label.htmlFor = "";
        label.addEventListener("click", function () { input.focus(); });
      }
    }
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    function drawChips() {
      if (!chips) {
        return;
      }
      chips.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var chip = element("li", "cp-chip", option.textContent);
        var remove = element("button", "btn-close btn-close-sm");
        remove.type = "button";
        remove.setAttribute("aria-label", (texts.picklistRemove || "") + " " + option.textContent);
        remove.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          drawChips();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function pick(result) {
      var option = optionFor(select, result.id, result.label);
      option.selected = true;
      if (!multiple) {
        select.value = option.value;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      input.value = multiple ? "" : result.label;
      drawChips();
      status.textContent = result.label;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(answer) {
      close();
      answer.results.forEach(function (result, i) {
        var item = element("li", "list-group-item list-group-item-action", result.label);
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        // mousedown, not click: the search box's blur would otherwise close the list first.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(result);
        });
        item.resultData = result;
        list.appendChild(item);
      });
      var note = answer.results.length ? (answer.more ? texts.picklistMore : "") : texts.picklistEmpty;
      if (note) {
        list.appendChild(element("li", "list-group-item small text-muted", note));
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = note || "";
    }

    function ask() {
      var text = input.value.trim();
      var mine = ++asked;
      if (!text) {
        close();
        return;
      }
      var url = texts.picklist + (texts.picklist.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [], more: false }; })
        .then(function (answer) {
          if (mine === asked) {
            show(answer);
          }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        // Enter picks the highlighted name; it never submits the form from the search box.
        event.preventDefault();
        if (items.length) {
          pick(items[Math.max(active, 0)].resultData);
        }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    select.addEventListener("change", function () {
      if (!multiple && select.selectedIndex >= 0 && select.value) {
        input.value = "";
      }
    });
    drawChips();
  }

  document.querySelectorAll("select[data-picklist]").forEach(enhance);
})();
