// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Sorting applies as soon as a new order is chosen.
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // On a phone, the refine panel starts closed so results come first.
  var filters = document.getElementById("filters");
  // ... unless a field in it has something to fix.
  if (filters && !filters.querySelector("[aria-invalid=true]") &&
      window.matchMedia("(max-width: 52rem)").matches) {
    filters.removeAttribute("open");
  }

  // Facet value search as you type, from the JSON API, as a WAI-ARIA combobox: focus stays
  // in the box while ArrowDown/ArrowUp move through the options (aria-activedescendant),
  // Enter opens the chosen one, Escape closes the list. Options are links (a click or tap
  // works as any link) built with DOM calls (textContent), never innerHTML, so names stay text.
  document.querySelectorAll("input[data-facet]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.createElement("p");
    var timer = null, latest = 0, active = -1;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);
    list.removeAttribute("aria-live");  // the status line announces; the list is navigated
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-labelledby", input.closest("section").querySelector("h2").id);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");

    function options() {
      return list.querySelectorAll("[role=option]:not([aria-disabled=true])");
    }
    function close() {
      clearTimeout(timer);
      latest++;  // an answer still on its way must not reopen the list
      active = -1;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function move(to) {
      var all = options();
      if (!all.length) { return; }
      active = (to % all.length + all.length) % all.length;  // wraps both ways
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(++latest, false); }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var down = event.key === "ArrowDown";
        if (!open) { clearTimeout(timer); suggest(++latest, true); }
        else { move(active < 0 && !down ? -1 : active + (down ? 1 : -1)); }
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // open the option, not the no-JavaScript facet page
        window.location.assign(options()[active].href);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    // A press on an option keeps the focus in the box, so the list is still there on click.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", close);

    function suggest(ticket, pickFirst) {
      var prefix = input.value.trim();
      if (!prefix) { close(); return; }
      // Counted within the current search (the form's hidden fields), as the sidebar is.
      var within = new URLSearchParams(new FormData(input.form));
      within.delete("page");
      within.set("limit", "8");
      var url = input.dataset.api + "?" + within.toString();
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { values: [] }; })
        .then(function (data) {
          if (ticket !== latest) { return; }
          var params = new URLSearchParams(new FormData(input.form));
          params.delete("prefix");
          params.delete("page");
          var items = data.values.map(function (item, i) {
            var p = new URLSearchParams(params);
            p.append(input.dataset.key, item.value);
            var a = document.createElement("a");
            a.href = input.dataset.search + "?" + p.toString();
            a.id = list.id + "-" + i;
            a.tabIndex = -1;  // reached with the arrow keys, not with Tab
            a.setAttribute("role", "option");
            a.setAttribute("aria-selected", "false");
            a.textContent = item.value + " (" + item.count + ")";
            var li = document.createElement("li");
            li.setAttribute("role", "none");
            li.appendChild(a);
            return li;
          });
          if (!items.length) {
            var none = document.createElement("li");
            none.className = "hint";
            none.id = list.id + "-none";
            none.setAttribute("role", "option");
            none.setAttribute("aria-disabled", "true");
            none.textContent = "No match";
            items.push(none);
          }
          list.replaceChildren.apply(list, items);
          active = -1;
          input.setAttribute("aria-expanded", "true");
          input.removeAttribute("aria-activedescendant");
          var n = data.values.length;
          status.textContent = n ? n + (n === 1 ? " match" : " matches") +
            "; arrow keys to choose" : "No match";
          if (pickFirst) { move(0); }
        })
        .catch(close);
    }
  });

  // Chart bars on a touch screen: the first tap on a bar shows its count (the tooltip that
  // keyboard focus shows), a second tap opens its period. A mouse click opens it at once.
  document.querySelectorAll(".bars a").forEach(function (bar) {
    var firstTap = false;
    bar.addEventListener("pointerdown", function (event) {
      firstTap = event.pointerType === "touch" && document.activeElement !== bar;
    });
    bar.addEventListener("pointercancel", function () { firstTap = false; });  // a scroll
    bar.addEventListener("click", function (event) {
      if (firstTap) { event.preventDefault(); bar.focus(); firstTap = false; }
    });
  });

  // Date fields take free typing ("March 2016"); where the browser has a native month
  // picker, one sits under the field and writes its month (2016-03) into it.
  document.querySelectorAll("input[data-picker=month]").forEach(function (field) {
    var picker = document.createElement("input");
    picker.type = "month";
    if (picker.type !== "month") { return; }  // no native picker: typing is enough
    picker.className = "month-picker";
    picker.setAttribute("aria-label", field.dataset.pickerLabel);
    if (/^\d{4}-\d{2}$/.test(field.value)) { picker.value = field.value; }
    function copy() { if (picker.value) { field.value = picker.value; } }
    picker.addEventListener("input", copy);
    picker.addEventListener("change", copy);
    field.insertAdjacentElement("afterend", picker);
  });
})();
