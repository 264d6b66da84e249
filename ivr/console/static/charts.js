// Draws a line's statistics with Chart.js from the figures the page carries as JSON.
/* global Chart */
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("stats-data").textContent);
  var COLOURS = ["#0b5cad", "#116329", "#a40e26", "#7d4e00", "#6f42c1", "#1b7c83", "#5b6470", "#d4a72c"];
  var drawn = 0;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    new Chart(document.getElementById(id), config);
    drawn += 1;
  }

  draw("chart-days", {
    type: "bar",
    data: { labels: Object.keys(figures.per_day),
            datasets: [{ label: "calls", data: Object.values(figures.per_day), backgroundColor: COLOURS[0] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });

  var outcomes = Object.keys(figures.outcomes).filter(function (name) { return figures.outcomes[name] > 0; });
  draw("chart-outcomes", {
    type: "doughnut",
    data: { labels: outcomes,
            datasets: [{ data: outcomes.map(function (name) { return figures.outcomes[name]; }),
                         backgroundColor: COLOURS }] },
    options: { plugins: { legend: { position: "right" } } }
  });

  var results = ["answered", "busy", "no-answer", "failed", "canceled"];
  var desks = figures.dial_targets;
  draw("chart-desks", {
    type: "bar",
    data: { labels: desks.map(function (d) {
              var rate = d.attempts ? Math.round(100 * d.answered / d.attempts) : 0;
              return d.node + " " + (d.number || "") + " (" + rate + "% answered)";
            }),
            datasets: results.map(function (result, i) {
              return { label: result, data: desks.map(function (d) { return d[result]; }),
                       backgroundColor: COLOURS[[1, 3, 2, 6, 4][i]] };
            }) },
    options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } }
  });

  var menus = Object.keys(figures.menus);
  var keys = [];
  menus.forEach(function (menu) {
    Object.keys(figures.menus[menu].keys).forEach(function (key) {
      if (keys.indexOf(key) < 0) { keys.push(key); }
    });
  });
  keys.sort();
  var series = keys.map(function (key, i) {
    return { label: "key " + key, backgroundColor: COLOURS[i % COLOURS.length],
             data: menus.map(function (menu) { return figures.menus[menu].keys[key] || 0; }) };
  });
  series.push({ label: "no input", backgroundColor: "#9aa3ad",
                data: menus.map(function (menu) { return figures.menus[menu].no_input; }) });
  series.push({ label: "hung up here", backgroundColor: "#1b1f24",
                data: menus.map(function (menu) { return figures.menus[menu].abandoned; }) });
  draw("chart-menus", {
    type: "bar",
    data: { labels: menus, datasets: series },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });

  document.body.dataset.charts = String(drawn);
})();
