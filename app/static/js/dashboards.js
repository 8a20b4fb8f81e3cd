// Draws each dashboard chart from the JSON beside it (the table next to it has the same numbers).
// Axis and tooltip numbers are written in the user's language (the canvas' data-locale, e.g.
// "nl-BE": "7,25"), with at most the table's number of decimals.
(function () {
  "use strict";
  if (!window.Chart) { return; }
  // A legend that stays readable on a phone: under the chart, wrapping, dark 13 px text.
  var legend = window.Chart.defaults.plugins.legend;
  legend.position = "bottom";
  legend.labels.boxWidth = 14;
  legend.labels.padding = 10;
  legend.labels.color = "#212529";
  legend.labels.font = { size: 13 };

  function numberFormat(locale, decimals) {
    try {
      return new Intl.NumberFormat(locale || undefined, { maximumFractionDigits: decimals });
    } catch (error) {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: decimals });
    }
  }
  var palette = ["#1f6f5c", "#f0b400", "#3b82c4", "#c0504d", "#7b5ea7", "#6a9a3a", "#e07b39",
                 "#4bacc6", "#8c8c8c", "#b5651d", "#2e4a62", "#d66ba0"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var numbers = numberFormat(canvas.dataset.locale, spec.decimals === undefined ? 1 : spec.decimals);
    var show = function (value) { return typeof value === "number" ? numbers.format(value) : value; };
    var stacked = spec.type === "stacked";
    var type = spec.type === "pie" ? "doughnut" : (spec.type === "line" ? "line" : "bar");
    spec.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = type === "doughnut"
        ? dataset.data.map(function (_, i) { return palette[i % palette.length]; })
        : palette[index % palette.length];
      dataset.borderColor = type === "line" ? palette[index % palette.length] : undefined;
    });
    new window.Chart(canvas, {
      type: type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: canvas.dataset.locale || undefined,
        plugins: {
          tooltip: { callbacks: { label: function (item) {
            return (item.dataset.label ? item.dataset.label + ": " : "") + show(item.raw);
          } } }
        },
        scales: type === "doughnut" ? {} : {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0, callback: show } }
        }
      }
    });
  });
})();
