// Charts of the public dashboard and unit pages. Data comes from json_script
// blocks (CSP forbids inline scripts); every chart has a table next to it.
// Bars are horizontal so that long Vietnamese names are wrapped into lines,
// never cut; each chart is as tall as its bars need; the colours come with
// the data (registrations/charts.py: by meaning, a legend on the page).
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  var LINE = 17;      // px per line of a wrapped axis label (13 px text)
  var BAR_GAP = 14;   // px between two bars
  var AXES = 76;      // px for the value axis, its ticks and its title

  function highContrast() { return document.body.classList.contains("high-contrast"); }

  function textColor() { return highContrast() ? "#fff" : "#1f2328"; }

  function gridColor() { return highContrast() ? "rgba(255, 255, 255, 0.35)" : "rgba(0, 0, 0, 0.12)"; }

  Chart.defaults.font.size = 13;
  Chart.defaults.color = textColor();
  Chart.defaults.borderColor = gridColor();

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  // A label as lines of at most ``max`` characters, broken between words.
  function wrap(label, max) {
    var lines = [];
    var line = "";
    String(label).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > max) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function axisTitle(text) {
    return { display: true, text: text, color: textColor(), font: { size: 13, weight: "bold" } };
  }

  // A horizontal bar chart: spec = {labels, values, colors|color, colorsDark|colorDark,
  // valueTitle, labelTitle, max, percent}.
  function horizontalBars(canvas, spec) {
    if (!canvas || !spec.labels.length) { return null; }
    var box = canvas.parentNode;
    // Labels take at most about 40 % of the chart's width, half on a phone
    // (7 px a character). Bars are spaced evenly: each gets the tallest label's room.
    var share = box.clientWidth < 500 ? 0.5 : 0.4;
    var maxChars = Math.max(14, Math.floor((box.clientWidth * share) / 7));
    var labels = spec.labels.map(function (l) { return wrap(l, maxChars); });
    var lines = Math.max.apply(null, labels.map(function (l) { return l.length; }));
    box.style.height = (labels.length * (lines * LINE + BAR_GAP) + AXES) + "px";
    function colors() {
      if (spec.colors) { return highContrast() ? spec.colorsDark : spec.colors; }
      return highContrast() ? spec.colorDark : spec.color;
    }
    var chart = new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: spec.values, backgroundColor: colors(), label: spec.valueTitle }] },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? spec.labels[items[0].dataIndex] : ""; },
              label: function (ctx) { return spec.percent ? ctx.parsed.x + "%" : String(ctx.parsed.x); }
            }
          }
        },
        scales: {
          x: {
            beginAtZero: true,
            min: 0,
            max: spec.max || undefined,
            ticks: {
              color: textColor(),
              precision: 0,
              callback: spec.percent ? function (v) { return v + "%"; } : undefined
            },
            grid: { color: gridColor() },
            title: axisTitle(spec.valueTitle)
          },
          y: {
            ticks: { color: textColor(), autoSkip: false },
            grid: { display: false },
            title: axisTitle(spec.labelTitle)
          }
        }
      }
    });
    chart.$recolor = function () {
      chart.data.datasets[0].backgroundColor = colors();
      ["x", "y"].forEach(function (axis) {
        var scale = chart.options.scales[axis];
        scale.ticks.color = textColor();
        scale.title.color = textColor();
      });
      chart.options.scales.x.grid.color = gridColor();
      chart.update();
    };
    return chart;
  }

  var charts = [];
  var dashboard = readJson("du-lieu-bieu-do");
  if (dashboard) {
    charts.push(horizontalBars(document.getElementById("bieu-do-dang-ky"), {
      labels: dashboard.kinds.labels, values: dashboard.kinds.values,
      color: dashboard.kinds.color, colorDark: dashboard.kinds.color_dark,
      valueTitle: "Số đơn vị đăng ký", labelTitle: "Loại đơn vị"
    }));
    charts.push(horizontalBars(document.getElementById("bieu-do-tieu-chi"), {
      labels: dashboard.criteria.labels, values: dashboard.criteria.values,
      colors: dashboard.criteria.colors, colorsDark: dashboard.criteria.colors_dark,
      valueTitle: "Tỷ lệ đơn vị đạt tiêu chí (%)", labelTitle: "Tiêu chí",
      max: 100, percent: true
    }));
  }

  var units = readJson("du-lieu-don-vi");
  if (units) {
    document.querySelectorAll("canvas.unit-chart").forEach(function (canvas) {
      var data = units[parseInt(canvas.getAttribute("data-chart-index"), 10)];
      if (!data) { return; }
      charts.push(horizontalBars(canvas, {
        labels: data.labels, values: data.values,
        colors: data.colors, colorsDark: data.colors_dark,
        valueTitle: "Số tiêu chí đạt (trên " + data.total + ")", labelTitle: "Quý",
        max: data.total
      }));
    });
  }

  // The high-contrast toggle (site.js flips the body class) recolours the charts.
  document.querySelectorAll("[data-contrast]").forEach(function (b) {
    b.addEventListener("click", function () {
      Chart.defaults.color = textColor();
      Chart.defaults.borderColor = gridColor();
      charts.forEach(function (chart) { if (chart) { chart.$recolor(); } });
    });
  });
})();
