"use strict";
(function () {
  var table = document.getElementById("gantt");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var only = document.getElementById("only");
  var collapsed = {};
  var sortKey = "outline";
  var sortDown = false;

  function outlineKey(row) {
    return row.dataset.outline.split(".").map(function (part) {
      return ("00000" + part).slice(-6);
    }).join(".");
  }

  function hiddenByCollapse(row) {
    var outline = row.dataset.outline;
    for (var key in collapsed) {
      if (collapsed[key] && outline.indexOf(key + ".") === 0) { return true; }
    }
    return false;
  }

  function refresh() {
    var words = (filter.value || "").toLowerCase().trim();
    var state = only.value;
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.dataset.search;
      var visible = (!words || text.indexOf(words) >= 0)
        && (!state || (" " + row.dataset.states + " ").indexOf(" " + state + " ") >= 0)
        && (sortKey !== "outline" || !hiddenByCollapse(row));
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    // A link's line is drawn in pieces, one in each row it crosses: with rows hidden or
    // moved, the pieces would not join, so the lines show only for the whole plan in order.
    table.classList.toggle("partial", shown < rows.length);
    const count = document.getElementById("shown");
    count.textContent = count.dataset.words
      .replace("{shown}", shown).replace("{total}", rows.length);
  }

  function sortRows(key) {
    if (key === sortKey) { sortDown = !sortDown; } else { sortKey = key; sortDown = false; }
    var sorted = rows.slice().sort(function (a, b) {
      var x, y;
      if (sortKey === "outline") { x = outlineKey(a); y = outlineKey(b); }
      else if (sortKey === "name" || sortKey === "id" || sortKey === "owner") {
        x = (a.dataset[sortKey] || "").toLowerCase(); y = (b.dataset[sortKey] || "").toLowerCase();
      } else {
        x = parseFloat(a.dataset[sortKey]); y = parseFloat(b.dataset[sortKey]);
        if (isNaN(x)) { x = Infinity; } if (isNaN(y)) { y = Infinity; }
      }
      var order = x < y ? -1 : (x > y ? 1 : 0);
      if (order === 0) { order = outlineKey(a) < outlineKey(b) ? -1 : 1; }
      return sortDown ? -order : order;
    });
    sorted.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (th) {
      th.setAttribute("aria-sort", th.dataset.sort === sortKey
        ? (sortDown ? "descending" : "ascending") : "none");
    });
    table.classList.toggle("flat", sortKey !== "outline");
    refresh();
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("th[data-sort]"), function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () { sortRows(th.dataset.sort); });
  });
  Array.prototype.forEach.call(body.querySelectorAll("button.toggle"), function (button) {
    button.addEventListener("click", function () {
      var outline = button.closest("tr").dataset.outline;
      collapsed[outline] = !collapsed[outline];
      button.setAttribute("aria-expanded", collapsed[outline] ? "false" : "true");
      button.textContent = collapsed[outline] ? "▸" : "▾";
      refresh();
    });
  });
  filter.addEventListener("input", refresh);
  only.addEventListener("change", refresh);
  document.documentElement.classList.add("scripted");

  // A link can open the page sorted, filtered or collapsed:
  // #sort=finish:desc&filter=lgsp&only=at-risk&collapse=prep,tthc
  var wanted = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var parts = pair.split("=");
    if (parts.length === 2) { wanted[parts[0]] = decodeURIComponent(parts[1]); }
  });
  if (wanted.filter) { filter.value = wanted.filter; }
  if (wanted.only) { only.value = wanted.only; }
  if (wanted.collapse) {
    wanted.collapse.split(",").forEach(function (task) {
      var row = rows.filter(function (r) { return r.dataset.id === task; })[0];
      var button = row && row.querySelector("button.toggle");
      if (button) { button.click(); }
    });
  }
  if (wanted.sort) {
    var sort = wanted.sort.split(":");
    sortRows(sort[0]);
    if (sort[1] === "desc") { sortRows(sort[0]); }
  }
  refresh();

  // Open the chart at the status date, the names staying where they are. The names'
  // column is fixed: the scroll stops at a column's edge, so no column of dates or slack
  // is left half hidden behind it.
  var wrap = table.parentElement;
  var status = parseFloat(table.dataset.statusX);
  var bars = table.tHead.querySelector("th.bars");
  if (!isNaN(status) && bars) {
    var name = table.tHead.querySelector("th.name");
    var fixed = name.offsetWidth;
    var most = wrap.scrollWidth - wrap.clientWidth;
    var wanted = Math.min(
      Math.max(bars.offsetLeft + status - fixed - (wrap.clientWidth - fixed) / 3, 0), most);
    var edges = [0];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell.offsetLeft > name.offsetLeft && cell.offsetWidth > 0) {
        edges.push(cell.offsetLeft - fixed);
      }
    });
    var scroll = wanted;
    if (wanted < bars.offsetLeft - fixed) {  // inside the columns: stop at an edge
      var down = Math.max.apply(null, edges.filter(function (e) { return e <= wanted; }));
      var up = Math.min.apply(null, edges.filter(function (e) { return e >= wanted; }));
      scroll = bars.offsetLeft + status - down <= wrap.clientWidth - 40 ? down : up;
      if (scroll > most) {  // room after the chart's end, so the edge can be reached
        table.style.marginRight = Math.ceil(scroll - most) + "px";
      }
    }
    wrap.scrollLeft = scroll;
  }
}());
