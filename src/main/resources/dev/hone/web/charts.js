// The charts of a run's page (run.js builds the page; this draws into it): value by trial with the best so far and
// the target, learning curves, parallel coordinates (brushable), slice plots and parameter importance. uPlot
// (served by Hone from its webjar) draws the plots on canvases; parallel coordinates are drawn here on a canvas of
// their own. Each figure has a caption and a label a screen reader can use; `plots` keeps the uPlot instances.
"use strict";

const plots = {};               // name → uPlot, for redrawing (and for tests to read what is drawn)
const chartState = {log: false, brushes: {}};  // chosen by the person, kept across refreshes
let pendingCharts = [];         // figures built by charts(), drawn by drawCharts() once in the page
const CURVES_MAX = 300;         // learning curves drawn at most (the best ones and the pruned ones first)
const COLOR = {value: "#2457c5", best: "#1a7f37", target: "#b42318", clipped: "#9a6700", pruned: "#b42318"};

const tick = v => v == null ? "" : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1)
  : String(Number(v.toPrecision(3)));
const ticks = (u, values) => values.map(tick);
const many = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const finite = v => typeof v === "number" && Number.isFinite(v);

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q, lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

// The range that holds the values but their outliers: Tukey's fences (3 IQR beyond the quartiles), never narrower
// than the target. Values outside are drawn at its edge, in another colour.
function robustRange(values, target) {
  const sorted = values.filter(finite).sort((a, b) => a - b);
  if (sorted.length < 4) return null;
  const q1 = quantile(sorted, 0.25), q3 = quantile(sorted, 0.75), iqr = q3 - q1;
  if (!(iqr > 0)) return null;
  let lo = Math.max(sorted[0], q1 - 3 * iqr), hi = Math.min(sorted.at(-1), q3 + 3 * iqr);
  if (finite(target)) {
    lo = Math.min(lo, target);
    hi = Math.max(hi, target);
  }
  return lo === sorted[0] && hi === sorted.at(-1) ? null : [lo, hi];
}

function figure(name, label, caption, ...extra) {
  const plot = h("div", {class: "plot", role: "img", "aria-label": label});
  const node = h("figure", {class: `chart ${name}`, "data-chart": name}, extra, plot,
    h("figcaption", {class: "muted"}, caption));
  return {node, plot};
}

const chartWidth = () => Math.max(320, Math.min(main.clientWidth - 48, 1100));

function charts(run, trials, importance) {
  for (const u of Object.values(plots)) u.destroy?.();
  pendingCharts = [];
  const metric = run.metric;
  const sections = [valueChart(trials, metric), curvesChart(trials, metric), parallelChart(trials, metric),
    slicesChart(trials, metric), importancePanel(importance)];
  return h("section", {class: "charts", "aria-label": "charts"}, h("h2", {}, "Charts"), sections);
}

function drawCharts() {
  const width = chartWidth();
  for (const draw of pendingCharts) draw(width);
  pendingCharts = [];
}

function valueChart(trials, metric) {
  const xs = trials.map(t => t.number);
  const values = trials.map(t => finite(t.value) ? t.value : null);
  const target = metric?.target;
  const better = metric?.direction === "minimize" ? Math.min : Math.max;
  let so = null;
  const best = values.map(v => (so = v == null ? so : so == null ? v : better(so, v)));
  const range = robustRange(values, target);
  const inside = values.map(v => v == null || !range || v >= range[0] && v <= range[1] ? v : null);
  const clipped = values.map(v => v != null && range && (v < range[0] || v > range[1])
    ? Math.min(Math.max(v, range[0]), range[1]) : null);
  const positive = values.every(v => v == null || v > 0) && (target == null || target > 0);
  const name = metric?.name || "value";
  const toggle = h("label", {class: "toggle"}, h("input", {type: "checkbox", name: "log-scale", disabled: !positive,
    checked: chartState.log && positive, onchange: e => {
      chartState.log = e.target.checked;
      plots.value?.destroy();
      draw(chartWidth());
    }}), " log scale", positive ? null : h("span", {class: "muted"}, " (needs values above 0)"));
  const clippedCount = clipped.filter(v => v != null).length;
  const {node, plot} = figure("value", `${name} by trial number`, [`${name} by trial; `,
    "green step line: best so far; dashed red: target",
    clippedCount ? `; ${many(clippedCount, "outlier")} beyond the robust range (3 IQR) drawn at its edge in amber`
      : ""], toggle);
  const data = [xs, inside, best, xs.map(() => finite(target) ? target : null), clipped];
  const draw = width => {
    const log = chartState.log && positive;
    plots.value = new uPlot({
      width, height: 260, legend: {show: true},
      scales: {x: {time: false}, y: {distr: log ? 3 : 1, range: range && !log ? () => pad(range) : undefined}},
      axes: [{label: "trial", values: ticks}, {label: name, values: ticks, size: 60}],
      series: [{label: "trial"},
        {label: name, stroke: COLOR.value, paths: () => null, points: {show: true, size: 6, fill: COLOR.value}},
        {label: "best so far", stroke: COLOR.best, width: 1.5, paths: uPlot.paths.stepped({align: 1}),
          points: {show: false}, spanGaps: true},
        {label: `target ${finite(target) ? num(target) : "none"}`, stroke: COLOR.target, dash: [6, 4],
          points: {show: false}, show: finite(target)},
        {label: "clipped", stroke: COLOR.clipped, paths: () => null,
          points: {show: true, size: 8, fill: COLOR.clipped}, show: clippedCount > 0}],
    }, data, plot);
  };
  pendingCharts.push(draw);
  return node;
}

const pad = ([lo, hi]) => [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05];

// Every trial's intermediate values of the run's metric by step; pruned trials in red, their lines ending early.
function curvesChart(trials, metric) {
  const better = metric?.direction === "minimize" ? 1 : -1;
  const withCurves = trials.filter(t => t.intermediate?.some(p => finite(p.value)));
  if (!withCurves.length) return null;
  const chosen = withCurves.length <= CURVES_MAX ? withCurves : withCurves.slice()
    .sort((a, b) => (b.state === "pruned") - (a.state === "pruned")
      || (finite(a.value) ? a.value : Infinity * -better) * better - (finite(b.value) ? b.value : Infinity * -better) * better)
    .slice(0, CURVES_MAX);
  const steps = [...new Set(chosen.flatMap(t => t.intermediate.map(p => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const data = [steps, ...chosen.map(t => {
    const row = new Array(steps.length).fill(null);
    for (const p of t.intermediate) if (finite(p.value)) row[index.get(p.step)] = p.value;
    return row;
  })];
  const pruned = chosen.filter(t => t.state === "pruned").length;
  const name = metric?.name || "value";
  const {node, plot} = figure("curves", `learning curves of ${chosen.length} trials`,
    `${name} by step for ${many(chosen.length, "trial")}`
    + (chosen.length < withCurves.length ? ` (of ${withCurves.length}: the best and the pruned)` : "")
    + `; red: pruned (${pruned}), cut short where they were stopped`);
  pendingCharts.push(width => {
    plots.curves = new uPlot({
      width, height: 240, legend: {show: false},
      scales: {x: {time: false}},
      axes: [{label: "step", values: ticks}, {label: name, values: ticks, size: 60}],
      series: [{label: "step"}, ...chosen.map(t => ({label: `trial ${t.number}`, spanGaps: true,
        stroke: t.state === "pruned" ? COLOR.pruned : "rgba(36, 87, 197, 0.55)", width: 1,
        points: {show: t.intermediate.length < 3, size: 4}}))],
    }, data, plot);
  });
  return node;
}

// ---- parameters: parallel coordinates, slices, importance ----

// Each parameter (and the value) as an axis: numbers scaled to their range, categories spread evenly.
function axesOf(trials, metric) {
  const names = [...new Set(trials.flatMap(t => Object.keys(t.params || {})))].sort();
  const axis = (name, get) => {
    const raw = trials.map(get);
    const numbers = raw.every(v => v == null || finite(v));
    if (numbers) {
      const present = raw.filter(finite);
      const lo = Math.min(...present), hi = Math.max(...present);
      return {name, numbers, lo, hi, get, at: v => finite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 0.5) : null,
        label: v => tick(v)};
    }
    const categories = [...new Set(raw.filter(v => v != null).map(String))].sort();
    return {name, numbers, categories, get, at: v => v == null ? null
      : categories.length < 2 ? 0.5 : categories.indexOf(String(v)) / (categories.length - 1), label: String};
  };
  return [...names.map(n => axis(n, t => t.params?.[n])), axis(metric?.name || "value", t => t.value)];
}

// What a range of an axis (fractions of its height) holds: "0.2 to 0.45" of a number, the categories of another.
function rangeText(axis, range) {
  if (!range) return "no range selected";
  if (!axis.numbers) {
    const inside = axis.categories.filter(c => axis.at(c) >= range[0] && axis.at(c) <= range[1]);
    return inside.length ? inside.join(", ") : "no category";
  }
  const value = f => axis.label(axis.lo + f * (axis.hi - axis.lo));
  return `${value(range[0])} to ${value(range[1])}`;
}

function parallelChart(trials, metric) {
  const done = trials.filter(t => finite(t.value));
  const axes = axesOf(done, metric);
  if (done.length < 2 || axes.length < 2) return null;
  const canvas = h("canvas", {class: "parallel", tabindex: 0, role: "img",
    "aria-label": `parallel coordinates: ${axes.map(a => a.name).join(", ")}; drag along an axis to select a range, `
      + "Escape clears"});
  const keys = "Left and Right choose an axis, Up and Down select a range on it and move it, Shift with Up or Down "
    + "moves its top, Delete clears the axis, Escape clears all";
  const status = h("p", {class: "muted brushed", role: "status"});
  const {node} = figure("parallel", "parallel coordinates",
    "one line per trial through its parameters and its value (darker: better); drag along an axis to keep only "
      + `the trials in that range, or by keyboard: ${keys}`, canvas, status);
  node.querySelector(".plot").remove();
  const minimize = metric?.direction === "minimize";
  const valueAxis = axes.at(-1);
  const M = {top: 28, bottom: 24, side: 60};
  let drag = null;
  const xOf = (i, width) => M.side + i * (width - 2 * M.side) / (axes.length - 1);
  const yOf = (f, height) => M.top + (1 - f) * (height - M.top - M.bottom);
  const selected = t => axes.every(a => {
    const b = chartState.brushes[a.name];
    const f = a.at(a.get(t));
    return !b || f != null && f >= b[0] && f <= b[1];
  });
  const paint = () => {
    const width = canvas.clientWidth || chartWidth(), height = 300, ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const kept = done.filter(selected);
    const line = (t, style) => {
      g.strokeStyle = style;
      g.beginPath();
      axes.forEach((a, i) => {
        const f = a.at(a.get(t));
        if (f == null) return;
        const x = xOf(i, width), y = yOf(f, height);
        i === 0 ? g.moveTo(x, y) : g.lineTo(x, y);
      });
      g.stroke();
    };
    g.lineWidth = 1;
    for (const t of done) if (!kept.includes(t)) line(t, "rgba(140, 149, 159, 0.15)");
    for (const t of kept) {
      const f = valueAxis.at(t.value);
      const goodness = minimize ? 1 - f : f;
      line(t, `rgba(36, 87, 197, ${(0.15 + 0.75 * goodness).toFixed(2)})`);
    }
    g.fillStyle = "#1d2329";
    g.font = "12px system-ui, sans-serif";
    g.textAlign = "center";
    axes.forEach((a, i) => {
      const x = xOf(i, width);
      g.strokeStyle = "#8c959f";
      g.beginPath();
      g.moveTo(x, yOf(0, height));
      g.lineTo(x, yOf(1, height));
      g.stroke();
      g.fillText(a.name, x, 14);
      g.fillStyle = "#68717a";
      const marks = a.numbers ? [[a.lo, 0], [a.hi, 1]] : a.categories.map(c => [c, a.at(c)]);
      for (const [v, f] of marks) g.fillText(a.label(v), x, f === 0 ? yOf(f, height) + 14 : yOf(f, height) - 4);
      g.fillStyle = "#1d2329";
      if (a.name === chartState.axis) {
        g.strokeStyle = "#2457c5";
        g.strokeRect(x - 10, yOf(1, height) - 4, 20, yOf(0, height) - yOf(1, height) + 8);
      }
      const b = chartState.brushes[a.name];
      if (b) {
        g.fillStyle = "rgba(36, 87, 197, 0.18)";
        g.fillRect(x - 7, yOf(b[1], height), 14, yOf(b[0], height) - yOf(b[1], height));
        g.fillStyle = "#1d2329";
      }
    });
    const trialsKept = Object.keys(chartState.brushes).length
      ? `${kept.length} of ${done.length} trials in the selected ranges` : `${done.length} trials`;
    const chosen = axes.find(a => a.name === chartState.axis);
    const said = chosen ? `; axis ${chosen.name}: ${rangeText(chosen, chartState.brushes[chosen.name])}` : "";
    status.textContent = trialsKept + said;
    canvas.setAttribute("aria-label", `parallel coordinates: ${axes.map(a => a.name).join(", ")}; ${trialsKept}${said}`
      + `; drag along an axis to select a range, or ${keys}`);
    canvas.dataset.kept = String(kept.length);
  };
  const fractionAt = e => {
    const r = canvas.getBoundingClientRect();
    const width = r.width, height = 300;
    const i = Math.round((e.clientX - r.left - M.side) / ((width - 2 * M.side) / (axes.length - 1)));
    const f = 1 - (e.clientY - r.top - M.top) / (height - M.top - M.bottom);
    return {axis: axes[Math.max(0, Math.min(axes.length - 1, i))], f: Math.max(0, Math.min(1, f))};
  };
  canvas.addEventListener("pointerdown", e => {
    const at = fractionAt(e);
    drag = {axis: at.axis.name, from: at.f};
    chartState.axis = drag.axis;
    delete chartState.brushes[drag.axis];
    canvas.setPointerCapture(e.pointerId);
    paint();
  });
  canvas.addEventListener("pointermove", e => {
    if (!drag) return;
    const f = fractionAt(e).f;
    chartState.brushes[drag.axis] = [Math.min(drag.from, f), Math.max(drag.from, f)];
    paint();
  });
  canvas.addEventListener("pointerup", () => {
    const b = chartState.brushes[drag?.axis];
    if (b && b[1] - b[0] < 0.01) delete chartState.brushes[drag.axis];  // a click clears the axis
    drag = null;
    paint();
  });
  canvas.addEventListener("keydown", e => {
    if (e.key === "Escape") {
      chartState.brushes = {};
      paint();
      return;
    }
    // the first arrow key chooses the first axis
    const chosen = axes.findIndex(a => a.name === chartState.axis);
    const at = chosen < 0 ? 0 : chosen;
    const name = axes[at].name;
    const b = chartState.brushes[name];
    const step = 0.1;
    const clamp = f => Math.round(Math.max(0, Math.min(1, f)) * 1000) / 1000;
    const vertical = e.key === "ArrowUp" || e.key === "ArrowDown";
    if (vertical) chartState.axis = name;
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      const next = chosen < 0 ? 0 : at + (e.key === "ArrowLeft" ? -1 : 1);
      chartState.axis = axes[Math.max(0, Math.min(axes.length - 1, next))].name;
    } else if (vertical && e.shiftKey && b) {
      // the top edge up or down, never below the bottom one's step
      chartState.brushes[name] = [b[0], clamp(Math.max(b[0] + step, b[1] + (e.key === "ArrowUp" ? step : -step)))];
    } else if (vertical) {
      // a new range starts at the top (Up) or the bottom (Down); an existing one moves, its width kept
      const up = e.key === "ArrowUp";
      const width = b ? b[1] - b[0] : 0.2;
      const lo = b ? Math.max(0, Math.min(1 - width, b[0] + (up ? step : -step))) : up ? 1 - width : 0;
      chartState.brushes[name] = [clamp(lo), clamp(lo + width)];
    } else if (e.key === "Delete" || e.key === "Backspace") {
      delete chartState.brushes[name];
    } else {
      return;
    }
    e.preventDefault();
    paint();
  });
  for (const name of Object.keys(chartState.brushes)) {
    if (!axes.some(a => a.name === name)) delete chartState.brushes[name];
  }
  if (!axes.some(a => a.name === chartState.axis)) chartState.axis = null;
  pendingCharts.push(paint);
  plots.parallel = {destroy() {}, axes: axes.map(a => a.name), brush: (name, lo, hi) => {
    chartState.brushes[name] = [lo, hi];
    paint();
  }, clear: () => {
    chartState.brushes = {};
    paint();
  }};
  return node;
}

// The value against each parameter, one small plot each.
function slicesChart(trials, metric) {
  const done = trials.filter(t => finite(t.value));
  const axes = axesOf(done, metric).slice(0, -1);
  if (!done.length || !axes.length) return null;
  const name = metric?.name || "value";
  const grid = h("div", {class: "slices"});
  const node = h("figure", {class: "chart slices-figure", "data-chart": "slices"}, grid,
    h("figcaption", {class: "muted"}, `${name} against each parameter, one point per trial with a value`));
  for (const a of axes) {
    const plot = h("div", {class: "plot", role: "img", "aria-label": `${name} against ${a.name}`});
    grid.append(plot);
    const pairs = done.map(t => [a.numbers ? a.get(t) : a.categories.indexOf(String(a.get(t))), t.value])
      .filter(([x]) => finite(x) && x >= 0).sort((p, q) => p[0] - q[0]);
    pendingCharts.push(width => {
      plots[`slice:${a.name}`] = new uPlot({
        width: Math.max(260, Math.min(360, (width - 24) / Math.min(3, axes.length))), height: 200,
        legend: {show: false}, cursor: {show: true},
        scales: {x: {time: false, range: a.numbers ? undefined : () => [-0.5, a.categories.length - 0.5]}},
        axes: [{label: a.name, values: a.numbers ? ticks : (u, vals) => vals.map(v => a.categories[v] ?? ""),
          splits: a.numbers ? undefined : () => a.categories.map((c, i) => i)},
          {label: name, values: ticks, size: 54}],
        series: [{label: a.name}, {label: name, stroke: COLOR.value, paths: () => null,
          points: {show: true, size: 5, fill: "rgba(36, 87, 197, 0.5)"}}],
      }, [pairs.map(p => p[0]), pairs.map(p => p[1])], plot);
    });
  }
  return node;
}

// PED-ANOVA of the server (GET /api/runs/ID/importance): a bar per parameter, most important first.
function importancePanel(importance) {
  const rows = importance?.params || [];
  return h("section", {class: "importance", "aria-labelledby": "importance-heading"},
    h("h3", {id: "importance-heading"}, "Parameter importance"),
    rows.length ? h("table", {class: "importance"},
      h("caption", {class: "muted"}, `PED-ANOVA over ${importance.trials} succeeded trials: how much the best `
        + `${Math.round(importance.quantile * 100)} % of them prefer some values of each parameter (shares sum to 1)`),
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "parameter"), h("th", {scope: "col", class: "num"}, "share"),
        h("th", {scope: "col"}, h("span", {class: "sr"}, "bar")))),
      h("tbody", {}, rows.map(p => h("tr", {}, h("td", {}, p.name), h("td", {class: "num"}, p.importance.toFixed(3)),
        h("td", {}, h("meter", {min: 0, max: 1, value: p.importance, "aria-label": `${p.name}: `
          + `${Math.round(p.importance * 100)} %`}))))))
      : none(importance?.note || "No importance yet."));
}
