// Charts of the public dashboard and unit pages. Data comes from json_script
// blocks (CSP forbids inline scripts); every chart has a table next to it.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var RED = "#a4161a";
  var BLUE = "#0b4f9c";

  // Axis text and grid lines follow the high-contrast toggle (site.js flips the
  // body class); Chart.js's grey text is unreadable on black.
  function applyContrast() {
    var high = document.body.classList.contains("high-contrast");
    var text = high ? "#fff" : "#666";
    var grid = high ? "rgba(255, 255, 255, 0.35)" : "rgba(0, 0, 0, 0.1)";
    Chart.defaults.color = text;
    Chart.defaults.borderColor = grid;
    // Charts already drawn keep their resolved colours unless told.
    Object.values(Chart.instances).forEach(function (chart) {
      Object.values(chart.options.scales || {}).forEach(function (scale) {
        scale.ticks.color = text;
        scale.grid.color = grid;
      });
      chart.update("none");
    });
  }
  applyContrast();
  document.querySelectorAll("[data-contrast]").forEach(function (b) {
    b.addEventListener("click", applyContrast);
  });

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function bar(canvas, labels, values, options) {
    if (!canvas) { return null; }
    return new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: values, backgroundColor: options.color, label: options.label }] },
      options: {
        indexAxis: options.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: options.tooltip || {} } },
        scales: options.scales || {}
      }
    });
  }

  // Long criterion names are shortened on the axis; the tooltip and the table
  // below keep them whole.
  function shorten(label) {
    var max = window.innerWidth < 576 ? 22 : 48;
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }

  var dashboard = readJson("du-lieu-bieu-do");
  if (dashboard) {
    bar(document.getElementById("bieu-do-dang-ky"), dashboard.kinds.labels, dashboard.kinds.values, {
      color: BLUE, label: "Số đăng ký",
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    });
    bar(document.getElementById("bieu-do-tieu-chi"), dashboard.criteria.labels, dashboard.criteria.values, {
      color: RED, label: "Tỷ lệ đạt (%)", horizontal: true,
      scales: {
        x: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
        y: { ticks: { callback: function (v) { return shorten(this.getLabelForValue(v)); } } }
      },
      tooltip: {
        title: function (items) { return items.length ? items[0].label : ""; },
        label: function (ctx) { return ctx.parsed.x + "%"; }
      }
    });
  }

  var units = readJson("du-lieu-don-vi");
  if (units) {
    document.querySelectorAll("canvas.unit-chart").forEach(function (canvas) {
      var data = units[parseInt(canvas.getAttribute("data-chart-index"), 10)];
      if (!data) { return; }
      new Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: [{ data: data.values, borderColor: RED, backgroundColor: RED, label: "Tiêu chí đạt" }] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, max: data.total || undefined, ticks: { precision: 0 } } }
        }
      });
    });
  }
})();
