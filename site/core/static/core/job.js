// The job page: polls the job's status until it has finished and updates the progress bar, the
// message, the download link and the error rows (no inline script: the page has a strict CSP).
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status-url]");
  if (!root) return;
  var url = root.getAttribute("data-job-status-url");
  function el(name) { return root.querySelector("[data-job-" + name + "]"); }

  function show(status) {
    el("state").textContent = status.state_label;
    el("progress").value = status.percent;
    el("progress").textContent = status.percent + "%";
    el("count").textContent = status.total ? status.done + " / " + status.total : "";
    el("message").textContent = status.message || "";
    if (status.download_url) {
      el("download-link").href = status.download_url;
      el("download").hidden = false;
    }
    var rows = status.error_rows || [];
    var body = el("errors").querySelector("tbody");
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      [row.row, row.message].forEach(function (value) {
        var td = document.createElement("td");
        td.textContent = value === undefined || value === null ? "" : String(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    el("errors").hidden = rows.length === 0;
    el("retry").hidden = status.state !== "failed";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) return;
        show(status);
        if (!status.finished) window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (root.getAttribute("data-job-finished") !== "1") poll();
})();
