// Draws the dashboard charts from the JSON the page carries; a click opens the list behind a bar or slice.
(function () {
  "use strict";
  var palette = ["#b3171d", "#e07b39", "#f2c14e", "#5b8e7d", "#3d6b9c", "#7a5195", "#bc5090", "#8c8c8c"];
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.dataset.chart];
    if (!spec) { return; }
    var datasets = spec.series
      ? spec.series.map(function (series, i) { return { label: series.label, data: series.values, backgroundColor: palette[i] }; })
      : [{ data: spec.values, backgroundColor: spec.type === "doughnut" ? palette : palette[0] }];
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: spec.type === "doughnut" || Boolean(spec.series), position: "bottom" } },
        scales: spec.type === "bar" ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : {},
        onClick: function (event, elements) {
          if (elements.length && spec.links && spec.links[elements[0].index]) {
            window.location.href = spec.links[elements[0].index];
          }
        }
      }
    });
  });
})();
