// The dashboard of `hone serve`: the projects (/), the runs of one project and the model it serves (/projects/NAME;
// all runs at /runs) and one run (/runs/ID, the address notifications link to). It only reads the JSON API and
// writes nothing. Every string from the API enters the page as text (text nodes, attribute values), never as HTML.
// A page that shows a live run (queued or running: the API's `live`) reloads its data every POLL_MS until none is left.
// When reads need a token (read_access: token), /login asks for one and sends it to the server once: the server
// answers with an HTTP-only session cookie. The script never keeps the token (no URL, no storage).
"use strict";

const POLL_MS = 2500;
const PAGE = 50;
const SETTLING = new Set(["starting", "restarting"]);  // states of a served model that change by themselves soon
const SVG = "http://www.w3.org/2000/svg";
const main = document.getElementById("main");

// ---- building the page: elements with text children only ----

function element(namespace, tag, attributes, children) {
  const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value == null || value === false) continue;
    if (typeof value === "function") node.addEventListener(name.replace(/^on/, ""), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) node.append(child instanceof Node ? child : document.createTextNode(child));
  }
  return node;
}
const h = (tag, attributes, ...children) => element(null, tag, attributes, children);
const svg = (tag, attributes, ...children) => element(SVG, tag, attributes, children);

const num = v => v == null ? "—" : typeof v !== "number" ? String(v)
  : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
const two = n => String(n).padStart(2, "0");
const local = d => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} `
  + `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
const time = iso => iso ? h("time", {datetime: iso, title: iso}, local(new Date(iso))) : "—";
const short = sha => sha ? sha.slice(0, 8) : "—";
const person = author => author ? h("span", {class: "who", title: author}, author.replace(/\s*<[^>]*>$/, "")) : "—";
const firstLine = text => (text || "").split("\n")[0];
const params = p => Object.entries(p || {}).map(([k, v]) => `${k}=${num(v)}`).join(", ");
const badge = status => h("span", {class: `badge ${status}`}, status);
const projectHref = name => `/projects/${encodeURIComponent(name)}`;
const runLink = id => h("a", {href: `/runs/${id}`}, `#${id}`);
const best = b => b ? [num(b.value), h("span", {class: "muted"}, ` · trial ${b.trial}`)] : "—";
const none = text => h("p", {class: "muted"}, text);

// The model a project serves (`serving` of /api/projects), in one line: what, where, how it is doing.
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const servingLine = s => (s.state === "serving" ? "serving " : "model of ")
  + `run ${s.run ?? "—"} trial ${s.trial ?? "—"} on :${s.port} · ${s.state.replace("_", " ")} · `
  + plural(s.restarts, "restart");
const servingTitle = s => [servingLine(s), s.container ? `container ${s.container}` : null,
  s.since ? `since ${local(new Date(s.since))}` : null, s.detail].filter(Boolean).join("\n");
const servingBadge = s => s ? h("span", {class: `badge serve ${s.state}`, title: servingTitle(s)},
  `${s.state} :${s.port}`) : null;

function servingPanel(s) {
  if (!s) return null;
  return h("section", {class: "serving-panel"},
    h("p", {class: `serving-line ${s.state}`}, h("span", {class: "serving-what"}, servingLine(s)),
      s.since ? h("span", {class: "muted"}, " · since ", time(s.since)) : null,
      s.container ? h("span", {class: "muted"}, " · container ", h("code", {}, s.container)) : null),
    s.detail ? h("p", {class: "serving-detail error"}, s.detail) : null);
}

function duration(ms) {
  if (ms == null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

function table(headings, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headings.map(x => h("th", {}, x)))), h("tbody", {}, rows));
}

function crumbs(...items) {
  const links = [h("a", {href: "/"}, "Projects")];
  for (const [text, href] of items) links.push(" › ", href ? h("a", {href}, text) : h("span", {}, text));
  document.getElementById("crumbs").replaceChildren(...links);
}

function fill(parent, ...nodes) {
  parent.replaceChildren(...nodes.flat(Infinity).filter(node => node != null && node !== false));
}
const render = (...nodes) => fill(main, ...nodes);

function notice(text) {
  const p = document.getElementById("notice");
  p.hidden = !text;
  p.textContent = text || "";
}

async function api(path) {
  const response = await fetch(path, {headers: {Accept: "application/json"}});
  if (response.status === 401) signInAgain();
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error || `${path} answered HTTP ${response.status}`);
  return body;
}

// The session ended (signed out elsewhere, token revoked, server restarted): to the login page, and back here after.
function signInAgain() {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

// ---- signing in and out ----

// Where to go after signing in: a path of this site only, never another origin.
function nextPage() {
  const next = new URLSearchParams(location.search).get("next") || "/";
  return /^\/(?![\/\\])/.test(next) ? next : "/";
}

async function loginPage() {
  document.title = "Sign in — Hone";
  crumbs(["sign in"]);
  const session = await api("/session");
  // Signed in already: a link from another site came without the SameSite=Strict cookie, and so here.
  if (session.signed_in) {
    location.replace(nextPage());
    return false;
  }
  if (session.read_access === "public") {
    render(h("h1", {}, "Sign in"),
      h("p", {}, "Anyone who reaches this server may read it: no sign-in is needed. ", h("a", {href: "/"}, "Projects")));
    return false;
  }
  const input = h("input", {type: "password", name: "token", id: "token", autocomplete: "off", required: true,
    spellcheck: "false"});
  const problem = h("p", {class: "error", role: "alert"});
  const submit = async event => {
    event.preventDefault();
    problem.textContent = "";
    const response = await fetch("/login", {method: "POST", headers: {"Content-Type": "application/json",
      Accept: "application/json"}, body: JSON.stringify({token: input.value.trim()})});
    input.value = "";
    if (response.ok) {
      location.replace(nextPage());
      return;
    }
    const body = await response.json().catch(() => null);
    problem.textContent = body?.error || `signing in answered HTTP ${response.status}`;
    input.focus();
  };
  render(h("h1", {}, "Sign in"),
    h("p", {}, "This Hone asks for a token to read (read_access: token). Paste the API token, or one made with ",
      h("code", {}, "hone token create --name NAME --scope read"), "."),
    h("form", {class: "login", onsubmit: submit},
      h("label", {for: "token"}, "Token"), input, h("button", {type: "submit"}, "Sign in")),
    problem);
  input.focus();
  return false;
}

// A "sign out" button in the header while a session is open.
async function sessionButton() {
  const session = await fetch("/session").then(r => r.json()).catch(() => null);
  if (!session?.signed_in) return;
  const out = h("button", {type: "button", class: "signout", title: `signed in with the token ${session.name}`,
    onclick: async () => {
      await fetch("/logout", {method: "POST"});
      location.assign("/login");
    }}, "Sign out");
  document.querySelector("header").append(out);
}

// ---- refreshing: load() renders and says whether anything shown is still queued or running ----

function show(load) {
  let loaded = false;
  const tick = async () => {
    let live;
    try {
      live = await load();
      loaded = true;
      notice(null);
    } catch (e) {
      if (!loaded) {
        render(h("p", {class: "error"}, e.message));
        return;
      }
      notice(`Cannot refresh (${e.message}); trying again.`);
      live = true;
    }
    document.getElementById("live").hidden = !live;
    if (live) setTimeout(tick, POLL_MS);
  };
  tick();
}

// ---- pages ----

async function projectsPage() {
  document.title = "Projects — Hone";
  crumbs();
  const [page, repositories] = await Promise.all([api("/api/projects?limit=500"), api("/api/repositories")]);
  const rows = page.items.map(({name, latest_run: r, serving}) => h("tr", {},
    h("td", {}, h("a", {href: projectHref(name)}, name), serving ? " " : null, servingBadge(serving)),
    h("td", {}, r ? badge(r.status) : "no runs"),
    h("td", {}, r ? runLink(r.id) : "—"),
    h("td", {class: "num"}, best(r?.best)),
    h("td", {class: "num"}, r ? r.trials : "—"),
    h("td", {}, r ? commit(r) : "—"),
    h("td", {}, time(r?.finished_at || r?.created_at))));
  render(h("h1", {}, "Projects"),
    rows.length ? table(["project", "status", "latest run", "best", "trials", "commit", "when"], rows)
      : none("No projects yet: add a repository (hone repo add URL) or push to a watched one."),
    h("p", {}, h("a", {href: "/runs"}, "All runs")),
    repositoriesPanel(repositories));
  return page.items.some(p => p.latest_run?.live || p.serving && SETTLING.has(p.serving.state));
}

// The watched repositories and how each is doing; a failing one says what failed and what to do.
function repositoriesPanel(repositories) {
  if (!repositories.length) return null;
  const rows = repositories.map(r => h("tr", {class: `repository ${r.status}`},
    h("td", {}, h("code", {}, r.url)),
    h("td", {}, r.branches.join(", ")),
    h("td", {}, r.poll === "0" ? "webhooks" : `every ${r.poll}`),
    h("td", {}, badge(r.status)),
    h("td", {class: r.problem ? "error problem" : "muted"}, r.problem || (r.configured ? "hone-server.yaml" : "added"))));
  return h("section", {class: "repositories"}, h("h2", {}, "Repositories"),
    table(["repository", "branches", "poll", "status", ""], rows));
}

function commit(r) {
  const title = [r.commit, r.author, r.message].filter(Boolean).join("\n");
  return h("span", {class: "commit", title: title || null}, h("code", {}, short(r.commit)),
    r.message ? h("span", {class: "message"}, ` ${firstLine(r.message)}`) : null);
}

async function runsPage(project) {
  const offset = Math.max(0, parseInt(new URLSearchParams(location.search).get("offset"), 10) || 0);
  const query = new URLSearchParams({limit: String(PAGE), offset: String(offset)});
  if (project) query.set("project", project);
  document.title = `${project || "All runs"} — Hone`;
  crumbs([project || "all runs"]);
  const [page, about] = await Promise.all([api(`/api/runs?${query}`),
    project ? api(`/api/projects/${encodeURIComponent(project)}`) : null]);
  const serving = about?.serving;
  const rows = page.items.map(r => h("tr", {},
    h("td", {}, runLink(r.id)),
    project ? null : h("td", {}, h("a", {href: projectHref(r.project)}, r.project)),
    h("td", {}, badge(r.status)),
    h("td", {}, commit(r)),
    h("td", {}, r.branch || "—"),
    h("td", {}, person(r.author)),
    h("td", {class: "num"}, best(r.best)),
    h("td", {class: "num"}, r.trials),
    h("td", {}, time(r.created_at)),
    h("td", {}, time(r.finished_at))));
  const headings = ["run", project ? null : "project", "status", "commit", "branch", "author", "best", "trials",
    "created", "finished"].filter(Boolean);
  const here = location.pathname;
  render(h("h1", {}, project || "All runs"),
    servingPanel(serving),
    rows.length ? table(headings, rows) : none("No runs yet."),
    h("p", {class: "pager"},
      offset > 0 ? h("a", {href: `${here}?offset=${Math.max(0, offset - PAGE)}`}, "← newer") : null, " ",
      page.next_offset != null ? h("a", {href: `${here}?offset=${page.next_offset}`}, "older →") : null));
  return page.items.some(r => r.live) || SETTLING.has(serving?.state);
}

const runView = h("div");  // re-rendered on refresh; the log panel after it stays, scrolled where it was
const logPanel = h("section", {id: "log"}, h("h2", {}, "Log"), none("Choose “log” on a trial to read its output."));
const log = {trial: null, source: null, live: false};

async function runPage(id) {
  const [run, trials, events] = await Promise.all([
    api(`/api/runs/${id}`), api(`/api/runs/${id}/trials`), api(`/api/runs/${id}/events`)]);
  const live = run.live;
  log.live = live;
  document.title = `Run ${id} · ${run.project} — Hone`;
  crumbs([run.project, projectHref(run.project)], [`run ${id}`]);
  fill(runView,
    h("h1", {}, `Run ${id} `, badge(run.status)),
    facts(run),
    run.problems?.length ? h("ul", {class: "error"}, run.problems.map(p => h("li", {}, p))) : null,
    chart(trials, run.metric),
    h("h2", {}, "Trials"),
    trials.length ? trialTable(id, trials, run.best, run.metric) : none(live ? "No trial has started yet." : "No trials."),
    h("h2", {}, "Events"),
    events.length ? h("ul", {class: "events"}, events.map(e => h("li", {},
      time(e.at), " ", h("strong", {}, e.type), " ", e.message))) : none("None."),
    h("h2", {}, "Notifications"),
    run.notifications?.length ? h("ul", {class: "events"}, run.notifications.map(n => h("li", {},
      badge(n.status), " ", h("strong", {}, n.event), ` by ${n.channel} `, n.detail || ""))) : none("None."));
  if (!main.contains(logPanel)) render(runView, logPanel);
  const running = trials.filter(t => t.state === "running").at(-1);
  if (live && log.trial == null && running) openLog(id, running.number);
  return live;
}

function facts(run) {
  const m = run.metric;
  const target = m?.target == null ? "none" : `${m.target_sign} ${num(m.target)}`;
  const rows = [
    ["project", h("a", {href: projectHref(run.project)}, run.project)],
    ["commit", run.commit ? [h("code", {title: run.commit}, short(run.commit)),
      run.branch ? ` on ${run.branch}` : "", run.author ? [" by ", person(run.author)] : ""] : "—"],
    ["message", run.message ? firstLine(run.message) : null],
    ["metric", m ? `${m.name} (${m.direction})` : "—"],
    ["target", h("span", {class: "target"}, target)],
    ["best", run.best ? [h("strong", {class: "best-value"}, num(run.best.value)), ` at trial ${run.best.trial}`]
      : "—"],
    ["best params", run.best ? params(run.best.params) || "none" : null],
    ["early stopping", run.early_stopping ? `${run.early_stopping.rule} rule: ${run.early_stopping.pruned} `
      + `trials stopped, ${run.early_stopping.steps_saved} steps saved` : null],
    ["created", time(run.created_at)],
    ["finished", time(run.finished_at)],
  ];
  return h("dl", {class: "facts"}, rows.filter(([, v]) => v != null).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

// every metric a trial reported but the run's own (shown as its value)
const metrics = (all, metric) => Object.entries(all || {}).filter(([name]) => name !== metric?.name)
  .map(([name, value]) => `${name}=${num(value)}`).join(" ");

// a size in binary units, as `hone trials` writes it: 640 KiB, 412 MiB, 3.2 GiB
function bytes(n) {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MiB` : `${Math.round(n / 1024)} KiB`;
}

// what a trial used, as its executor measured it (the figures it did not measure left out); its source as a title
function resources(r) {
  if (!r) return "";
  const parts = [`${r.wall_s.toFixed(1)} s wall`];
  if (r.cpu_s != null) parts.push(`${r.cpu_s.toFixed(1)} s CPU`);
  if (r.peak_memory_bytes != null) parts.push(`${bytes(r.peak_memory_bytes)} peak`);
  if (r.gpu_memory_peak_bytes != null || r.gpu_utilization_mean != null) {
    parts.push("GPU " + [r.gpu_memory_peak_bytes == null ? null : `${bytes(r.gpu_memory_peak_bytes)} peak`,
      r.gpu_utilization_mean == null ? null : `${Math.round(r.gpu_utilization_mean)}%`]
      .filter(x => x != null).join(", "));
  }
  return h("span", {title: `measured by ${r.source}`}, parts.join(" · "));
}

function trialTable(id, trials, bestTrial, metric) {
  return table(["#", "state", "value", "params", "duration", "started", "error", "metrics", "resources", "log"],
    trials.map(t => h("tr", {
    class: t.number === bestTrial?.trial ? "best" : null},
    h("td", {class: "num"}, t.number),
    h("td", {}, badge(t.state)),
    h("td", {class: "num"}, num(t.value)),
    h("td", {class: "params"}, params(t.params) || "—"),
    h("td", {class: "num"}, t.state === "running" ? "…" : duration(t.duration_ms)),
    h("td", {}, time(t.started_at)),
    // a stopped trial is not a failure: another one reached the target
    h("td", {class: t.state === "stopped" ? "muted" : "error"}, t.error || ""),
    h("td", {class: "params"}, metrics(t.metrics, metric)),
    h("td", {class: "resources"}, resources(t.resources)),
    h("td", {}, h("button", {type: "button", class: log.trial === t.number ? "open" : null, "data-trial": t.number,
      onclick: () => openLog(id, t.number)}, "log")))));
}

// ---- the chart: value by trial number, best so far, the target as a dashed line ----

function chart(trials, metric) {
  const points = trials.filter(t => typeof t.value === "number" && Number.isFinite(t.value));
  const target = metric?.target;
  if (!points.length) return null;
  const W = 640, H = 200, L = 56, R = 70, T = 12, B = 28;
  const values = points.map(t => t.value).concat(target == null ? [] : [target]);
  let lo = Math.min(...values), hi = Math.max(...values);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  const last = Math.max(2, ...trials.map(t => t.number));
  const x = n => L + ((n - 1) / (last - 1)) * (W - L - R);
  const y = v => T + ((hi - v) / (hi - lo)) * (H - T - B);
  const better = metric?.direction === "minimize" ? Math.min : Math.max;
  let so = null;
  const line = points.map(t => {
    so = so == null ? t.value : better(so, t.value);
    return `${x(t.number).toFixed(1)},${y(so).toFixed(1)}`;
  });
  const step = Math.ceil(last / 10);
  const xs = Array.from({length: last}, (_, i) => i + 1).filter(n => n === 1 || n === last || n % step === 0);
  const tick = v => Number(v.toPrecision(3));
  return h("figure", {class: "chart"}, svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": `${metric?.name || "value"} by trial number`},
    svg("line", {class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B}),
    svg("line", {class: "axis", x1: L, y1: T, x2: L, y2: H - B}),
    [hi, (hi + lo) / 2, lo].map(v =>
      svg("text", {class: "tick", x: L - 6, y: y(v) + 4, "text-anchor": "end"}, tick(v))),
    xs.map(n => svg("text", {class: "tick", x: x(n), y: H - B + 16, "text-anchor": "middle"}, n)),
    target == null ? null : [
      svg("line", {class: "target", x1: L, y1: y(target), x2: W - R, y2: y(target)}),
      svg("text", {class: "target-label", x: W - R + 6, y: y(target) + 4}, `target ${num(target)}`)],
    line.length > 1 ? svg("polyline", {class: "so-far", points: line.join(" ")}) : null,
    trials.filter(t => t.state !== "running").map(t => points.includes(t)
      ? svg("circle", {class: `point ${t.state}`, cx: x(t.number), cy: y(t.value), r: 4},
        svg("title", {}, `trial ${t.number}: ${num(t.value)}`))
      : svg("text", {class: `miss ${t.state}`, x: x(t.number), y: H - B - 4, "text-anchor": "middle"}, "×",
        svg("title", {}, `trial ${t.number}: ${t.state}, no value`)))),
  h("figcaption", {class: "muted"}, `${metric?.name || "value"} by trial; line: best so far; dashed: target; `
    + "×: no value"));
}

// ---- logs: their last LOG_LINES lines, streamed (server-sent events) while the run is live ----

const LOG_LINES = 1000;

function openLog(id, trial) {
  log.source?.close();
  Object.assign(log, {trial, source: null});
  const pre = h("pre", {class: "log"});
  const end = h("p", {class: "muted"});
  logPanel.replaceChildren(h("h2", {}, `Log of trial ${trial}`), pre, end);
  document.querySelectorAll("#main button[data-trial]").forEach(b => b.classList.toggle("open",
    b.dataset.trial === String(trial)));
  const url = `/api/runs/${id}/logs?trial=${trial}`;
  if (!log.live) {
    fetch(`${url}&tail=${LOG_LINES}`).then(async r => {
      if (r.status === 401) signInAgain();
      const text = await r.text();
      pre.textContent = r.ok ? text : (JSON.parse(text).error || text);
      if (r.ok && text.split(/\r\n|\r|\n/).length > LOG_LINES) {
        end.replaceChildren(`Its last ${LOG_LINES} lines; `, h("a", {href: url}, "the whole log"), ".");
      }
    }).catch(e => { end.textContent = e.message; });
    return;
  }
  const source = new EventSource(`${url}&tail=${LOG_LINES}`);
  log.source = source;
  const append = line => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(line + "\n");
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  source.onmessage = e => append(e.data);
  source.addEventListener("end", e => {
    source.close();
    end.textContent = `The run ended: ${e.data}.`;
  });
  source.addEventListener("trial_end", e => {
    source.close();
    end.textContent = `The trial ended: ${e.data}.`;
  });
  source.onerror = () => {
    source.close();
    if (log.source === source) setTimeout(() => log.source === source && openLog(id, trial), POLL_MS);
  };
}

// ---- routes ----

const routes = [
  [/^\/login\/?$/, () => loginPage()],
  [/^\/$/, () => projectsPage()],
  [/^\/runs\/?$/, () => runsPage(null)],
  [/^\/projects\/([^/]+)\/?$/, m => runsPage(decodeURIComponent(m[1]))],
  [/^\/runs\/([0-9]+)\/?$/, m => runPage(m[1])],
];
const route = routes.find(([pattern]) => pattern.test(location.pathname));
if (route) show(() => route[1](location.pathname.match(route[0])));
else render(h("p", {class: "error"}, `No page at ${location.pathname}.`));
if (location.pathname !== "/login") sessionButton();
