// Draws the charts of a utilscore page. Each chart's ECharts option is data in a
// <script type="application/json" data-chart="ID"> block beside its element, so the
// page runs no inline script and its Content-Security-Policy can forbid them.
(function () {
  'use strict';
  var charts = [];
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (block) {
    var el = document.getElementById(block.getAttribute('data-chart'));
    if (!el) {
      return;
    }
    var chart = echarts.init(el);
    chart.setOption(JSON.parse(block.textContent));
    charts.push(chart);
  });
  // Charts follow the width of the page (phones included).
  window.addEventListener('resize', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
