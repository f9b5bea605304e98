// The purchase form's totals before saving (kits/templates/kits/admin/purchase_totals_panel.html):
// quantity × unit price = the line total, the subsidy the line draws, what the school pays, and
// what is left of the grant and of the school's cap per school after it.
//
// The figures come from the chosen grant's <option data-left data-rate data-cap data-drawn>
// (kits.services.subsidy_terms); the subsidy is kits.services.subsidy_for's rule: the line total ×
// the programme's share, rounded down to the fen, never more than what is left of the grant. Money
// is counted in whole fen (BigInt), never in floating point. The server decides again on save.
(function () {
  "use strict";

  // "1,234.5", "¥35", "35.00" -> fen (BigInt); null for anything the server would refuse too.
  function fen(text) {
    var plain = String(text || "")
      .trim()
      .replace(/[,，]/g, "")
      .replace(/^[¥￥]\s*/, "");
    var match = /^\+?(\d+)(?:\.(\d{1,2}))?$/.exec(plain);
    if (!match) return null;
    return BigInt(match[1]) * 100n + BigInt(((match[2] || "") + "00").slice(0, 2));
  }

  function quantity(text) {
    var match = /^\+?(\d+)$/.exec(String(text || "").trim());
    return match && BigInt(match[1]) > 0n ? BigInt(match[1]) : null;
  }

  // 123450n -> "¥1,234.50"
  function yuan(amount) {
    var negative = amount < 0n;
    var value = negative ? -amount : amount;
    var whole = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = (value % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + "¥" + whole + "." + cents;
  }

  function minimum(a, b) {
    return a < b ? a : b;
  }

  function start(panel) {
    var form = panel.closest("form");
    if (!form) return;
    var grant = form.elements.namedItem("grant");
    var count = form.elements.namedItem("quantity");
    var price = form.elements.namedItem("unit_cost");
    if (!grant || !count || !price) return;
    panel.hidden = false;
    var out = {};
    panel.querySelectorAll("[data-total]").forEach(function (element) {
      out[element.dataset.total] = element;
    });
    var capRow = panel.querySelector("[data-total-cap-row]");

    function show(name, amount) {
      if (out[name]) out[name].textContent = amount === null ? "—" : yuan(amount);
    }

    function update() {
      var option = grant.options ? grant.options[grant.selectedIndex] : null;
      var terms = option && option.value ? option.dataset : null;
      var units = quantity(count.value);
      var unit = fen(price.value);
      var line = units !== null && unit !== null ? units * unit : null;
      show("line", line);
      var left = terms ? fen(terms.left) : null;
      var rate = terms ? fen(terms.rate) : null; // 1.00 -> 100 hundredths
      var subsidy = null;
      if (line !== null && left !== null && rate !== null) {
        subsidy = (line * rate) / 100n; // BigInt division rounds down: to the fen, like the server
        subsidy = minimum(subsidy, left < 0n ? 0n : left);
      }
      show("subsidy", subsidy);
      show("own", subsidy === null ? null : line - subsidy);
      show("grant-left", left === null ? null : left - (subsidy || 0n));
      var cap = terms ? fen(terms.cap) : null;
      var drawn = terms ? fen(terms.drawn) : null;
      if (capRow) capRow.hidden = cap === null;
      show("cap", cap);
      show("cap-left", cap === null || drawn === null ? null : cap - drawn - (subsidy || 0n));
      panel.classList.toggle("kits-totals-partial", subsidy !== null && subsidy < line);
    }

    ["input", "change"].forEach(function (type) {
      grant.addEventListener(type, update);
      count.addEventListener(type, update);
      price.addEventListener(type, update);
    });
    update();
  }

  function startAll() {
    document.querySelectorAll("[data-purchase-totals]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
