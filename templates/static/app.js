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
  if (filters && window.matchMedia("(max-width: 52rem)").matches) {
    filters.removeAttribute("open");
  }

  // Facet value search as you type, from the JSON API; links are built with
  // DOM calls (textContent), never innerHTML, so names stay text.
  document.querySelectorAll("input[data-facet]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(input, list, ++latest); }, 150);
    });
    function suggest(input, list, ticket) {
      var prefix = input.value.trim();
      if (!prefix) { list.replaceChildren(); return; }
      var url = input.dataset.api + "?limit=8&prefix=" + encodeURIComponent(prefix);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { values: [] }; })
        .then(function (data) {
          if (ticket !== latest) { return; }
          var params = new URLSearchParams(new FormData(input.form));
          params.delete("prefix");
          params.delete("page");
          var items = data.values.map(function (item) {
            var p = new URLSearchParams(params);
            p.append(input.dataset.key, item.value);
            var a = document.createElement("a");
            a.href = input.dataset.search + "?" + p.toString();
            a.textContent = item.value + " (" + item.count + ")";
            var li = document.createElement("li");
            li.appendChild(a);
            return li;
          });
          if (!items.length) {
            var none = document.createElement("li");
            none.className = "hint";
            none.textContent = "No match";
            items.push(none);
          }
          list.replaceChildren.apply(list, items);
        })
        .catch(function () { list.replaceChildren(); });
    }
  });
})();
