// Gezel charts: draws <canvas data-chart="ID"> from the JSON in <script type="application/json"
// id="ID"> with the vendored Chart.js (the CSP forbids inline scripts). A spec is
// {type: "radar"|"line"|"bar", labels: [...], datasets: [{label, data}], scale: {min, max,
// labels: {"1": "..."}}}; every chart has a table beside it with the same numbers.
(function () {
  "use strict";

  var PALETTE = ["#1f6f5c", "#c05621", "#2b6cb0", "#b83280", "#6b46c1", "#2f855a",
                 "#b7791f", "#c53030", "#2c7a7b", "#4a5568", "#975a16", "#553c9a", "#276749"];

  function colour(index, alpha) {
    var hex = PALETTE[index % PALETTE.length];
    var rgb = [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    return "rgba(" + rgb.join(",") + "," + alpha + ")";
  }

  function numberFormat(locale) {
    try {
      return new Intl.NumberFormat(locale || undefined, { maximumFractionDigits: 2 });
    } catch (error) {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    }
  }

  // locale: the canvas' data-locale ("nl-BE"), so that 2.5 reads "2,5" as in the table.
  function build(spec, locale) {
    var scale = spec.scale || {};
    var numbers = numberFormat(locale);
    var levelName = function (value) {
      var shown = typeof value === "number" ? numbers.format(value) : value;
      var name = scale.labels && scale.labels[String(value)];
      return name ? shown + " " + name : shown;
    };
    var axis = { min: scale.min, max: scale.max, ticks: { stepSize: 1 } };
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale || undefined,
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: function (item) {
          return item.dataset.label + ": " + levelName(item.raw);
        } } }
      },
      scales: {}
    };
    if (spec.type === "radar") {
      options.scales.r = axis;
    } else {
      axis.ticks.callback = levelName;
      options.scales.y = axis;
    }
    var datasets = spec.datasets.map(function (dataset, index) {
      return Object.assign({
        borderColor: colour(index, 1),
        backgroundColor: colour(index, spec.type === "radar" ? 0.15 : 0.6),
        pointRadius: 4,
        spanGaps: true
      }, dataset);
    });
    return { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function render(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) { return null; }
    var chart = new window.Chart(
      canvas, build(JSON.parse(source.textContent), canvas.dataset.locale)
    );
    canvas.dataset.rendered = "true";
    return chart;
  }

  window.GezelCharts = { build: build, render: render };
  document.querySelectorAll("canvas[data-chart]").forEach(render);
})();
