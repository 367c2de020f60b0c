/* Jeugdketen: the only project JavaScript. No inline scripts anywhere (see the CSP).
 * 1. htmx requests carry the CSRF token from <meta name="csrf-token">.
 * 2. After htmx swaps in a fragment, focus moves to the element in it marked
 *    data-focus-after-swap, so keyboard and screen reader users hear the result. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail && event.detail.elt ? event.detail.elt : event.target;
    var scope = root && root.isConnected ? root : document;
    var target = scope.querySelector ? scope.querySelector("[data-focus-after-swap]") : null;
    if (!target) {
      target = document.querySelector("[data-focus-after-swap]");
    }
    if (target) {
      target.focus();
      target.removeAttribute("data-focus-after-swap");
    }
  });
})();

/* 3. Filter a long list of checkbox rows by name (register a household). Without
 *    JavaScript the filter stays hidden and the whole list is shown. */
(function () {
  "use strict";

  function setup(field) {
    var list = document.getElementById(field.getAttribute("data-filter-for"));
    var input = field.querySelector("input[type=search]");
    var status = field.querySelector("[data-filter-status]");
    if (!list || !input) {
      return;
    }
    var rows = Array.prototype.slice.call(list.children);
    var template = status ? (status.getAttribute("data-template") || "") : "";
    field.hidden = false;
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        var match = !query || row.textContent.toLowerCase().indexOf(query) !== -1 ||
          (box && box.checked);
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) {
        status.textContent = query ? template.replace("%(count)s", String(shown)) : "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var fields = document.querySelectorAll("[data-filter-for]");
    Array.prototype.forEach.call(fields, setup);
  });
})();

/* 4. The main menu folds away on a narrow screen (a <details>, open in the HTML so that it
 *    works without JavaScript) and is always open on a wide one. Printing opens every
 *    <details> so that nothing folded away is missing from paper, and closes them after. */
(function () {
  "use strict";

  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40em)") : null;

  function fit() {
    var menus = document.querySelectorAll("[data-jk-menu]");
    Array.prototype.forEach.call(menus, function (menu) {
      menu.open = !(narrow && narrow.matches);
    });
  }

  document.addEventListener("DOMContentLoaded", fit);
  if (narrow) {
    if (narrow.addEventListener) {
      narrow.addEventListener("change", fit);
    } else if (narrow.addListener) {
      narrow.addListener(fit);
    }
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open && !d.hasAttribute("data-jk-menu");
    });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
