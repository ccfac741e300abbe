/* framing report: shipped with the package; no external resources, no network. */
(function () {
  "use strict";

  function text(el, value) { el.textContent = value == null ? "" : String(value); return el; }
  function make(tag, cls) { var el = document.createElement(tag); if (cls) el.className = cls; return el; }

  /* sortable tables: click a header to sort by that column (numbers as numbers) */
  function sortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
          var nx = parseFloat(x), ny = parseFloat(y);
          var cmp = (!isNaN(nx) && !isNaN(ny) && String(nx) === x.replace(/\.0+$/, "") && String(ny) === y.replace(/\.0+$/, ""))
            ? nx - ny : x.localeCompare(y);
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);

  /* index: filters by group and actor, carried to the other pages in the query string */
  var index = document.getElementById("index-table");
  if (index) {
    var selects = document.querySelectorAll("select[data-filter]");
    var params = new URLSearchParams(window.location.search);
    var apply = function () {
      var wanted = {};
      Array.prototype.forEach.call(selects, function (s) { if (s.value) wanted[s.getAttribute("data-filter")] = s.value; });
      var shown = 0;
      Array.prototype.forEach.call(index.tBodies[0].rows, function (row) {
        var ok = Object.keys(wanted).every(function (key) {
          if (key === "actors") return (row.getAttribute("data-actors") || "").split(" ").indexOf(wanted[key]) >= 0;
          /* an actor attribute (a0, a1, ...): the values of the article's actors, between bars */
          if (/^a[0-9]+$/.test(key)) return (row.getAttribute("data-" + key) || "").indexOf("|" + wanted[key] + "|") >= 0;
          return row.getAttribute("data-" + key) === wanted[key];
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      var query = new URLSearchParams(wanted).toString();
      Array.prototype.forEach.call(document.querySelectorAll("nav.pages a"), function (a) {
        a.href = a.getAttribute("href").split("?")[0] + (query ? "?" + query : "");
      });
      text(document.getElementById("shown"), shown + " of " + index.tBodies[0].rows.length + " articles on this page shown");
    };
    Array.prototype.forEach.call(selects, function (s) {
      var key = s.getAttribute("data-filter");
      if (params.get(key)) s.value = params.get(key);
      s.addEventListener("change", apply);
    });
    apply();
  }

  /* article: click a span to see its codes (read from the rows table); feature links filter the rows */
  var table = document.getElementById("rows-table");
  if (!table) return;
  var detail = document.getElementById("detail-body");
  var spans = document.querySelectorAll("#text .ev");
  var labels = { actor: "actor", label: "label", value: "value", cue: "cue", source: "speaker",
                 source_type: "type", origin: "origin", form: "form", text: "span" };

  function cell(tr, name) {
    var td = tr.querySelector('td[data-c="' + name + '"]');
    return td ? td.textContent : "";
  }

  function show(span) {
    Array.prototype.forEach.call(document.querySelectorAll(".ev.selected"), function (s) { s.classList.remove("selected"); });
    span.classList.add("selected");
    detail.innerHTML = "";
    detail.appendChild(text(make("p", "quote"), "\u201c" + span.textContent + "\u201d"));
    span.getAttribute("data-rows").split(" ").forEach(function (k) {
      var tr = document.getElementById("row-" + k);
      var family = tr.getAttribute("data-family");
      var box = make("div", "code");
      box.style.borderLeftColor = "var(--" + family + ")";
      var title = make("a");
      title.href = "#row-" + k;
      text(title, "row " + k + ": " + family + " \u00b7 " + cell(tr, "label"));
      box.appendChild(title);
      var dl = make("dl");
      Object.keys(labels).forEach(function (key) {
        var value = cell(tr, key);
        if (value === "") return;
        dl.appendChild(text(make("dt"), labels[key]));
        dl.appendChild(text(make("dd", "v-" + key), value));
      });
      box.appendChild(dl);
      detail.appendChild(box);
    });
  }
  Array.prototype.forEach.call(spans, function (span) {
    span.addEventListener("click", function () { if (!span.classList.contains("off")) show(span); });
    span.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(span); } });
  });

  /* legend: switch a family's highlights off and on */
  Array.prototype.forEach.call(document.querySelectorAll("input[data-toggle]"), function (box) {
    box.addEventListener("change", function () {
      var off = {};
      Array.prototype.forEach.call(document.querySelectorAll("input[data-toggle]"), function (b) { if (!b.checked) off[b.getAttribute("data-toggle")] = true; });
      Array.prototype.forEach.call(spans, function (span) {
        var fams = span.getAttribute("data-families").split(" ").filter(function (f) { return !off[f]; });
        span.classList.toggle("off", fams.length === 0);
      });
    });
  });

  /* features: a row count shows only those rows and lights their spans */
  var note = document.getElementById("rows-filter");
  function filterRows(family, actor) {
    var lit = {};
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var ok = !family || (tr.getAttribute("data-family") === family && (!actor || tr.getAttribute("data-actor") === actor));
      tr.hidden = !ok;
      tr.classList.toggle("lit", Boolean(family) && ok);
      if (family && ok) lit[tr.getAttribute("data-row")] = true;
    });
    Array.prototype.forEach.call(spans, function (span) {
      span.classList.toggle("lit", span.getAttribute("data-rows").split(" ").some(function (k) { return lit[k]; }));
    });
    note.hidden = !family;
    text(note.querySelector("span"), family ? "Showing the " + family + " rows" + (actor ? " of " + actor : "") + "." : "");
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.feature-link"), function (a) {
    a.addEventListener("click", function () { filterRows(a.getAttribute("data-family"), a.getAttribute("data-actor")); });
  });
  var all = document.getElementById("rows-all");
  if (all) all.addEventListener("click", function () { filterRows("", ""); });
})();
