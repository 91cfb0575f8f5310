// The dashboard of `hone serve`: the projects (/), the runs of one project and the model it serves (/projects/NAME;
// all runs at /runs), one run (/runs/ID, the address notifications link to) and runs compared (/compare?runs=…). It
// reads the JSON API, and writes (run, cancel, re-run) only for a session signed in with a write token. Every string
// from the API enters the page as text (text nodes, attribute values), never as HTML. Each page follows the server by
// one event stream (/api/events) and loads again when something under it changed: no polling.
// /login asks for a token and sends it to the server once: the server answers with an HTTP-only session cookie. The
// script never keeps the token (no URL, no storage).
"use strict";

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
    session.read_access === "public"
      ? h("p", {}, "Anyone who reaches this server may read it: no sign-in is needed to read (",
        h("a", {href: "/"}, "Projects"), "). To run, cancel or re-run from the dashboard, sign in with a write "
        + "token: the API token, or one made with ", h("code", {}, "hone token create --name NAME --scope write"), ".")
      : h("p", {}, "This Hone asks for a token to read (read_access: token). Paste the API token, or one made with ",
        h("code", {}, "hone token create --name NAME --scope read"), " (", h("code", {}, "--scope write"),
        " also lets you run, cancel and re-run)."),
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

// ---- following the server: load() renders and says whether anything shown is still queued or running; the page's
// one event stream (/api/events) says when something under it changed, and the page loads again (no polling) ----

// The page's one event stream: its address (a run's page adds the trial it shows, whose log lines come over it), the
// handlers a page's script adds for events other than those that load the page again, and what opens it.
const stream = {url: null, source: null, on: {}, open: () => {}};

// Follows `url` from now on: the stream open now is closed, and one of `url` opened (it starts with "ready").
function reopenStream(url) {
  stream.url = url;
  stream.source?.close();
  stream.source = null;
  stream.open();
}

function show(load, events) {
  let loaded = false;
  let loading = false;
  let again = false;
  const refresh = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    // the element that had the focus (a checkbox, a button of a row) gets it back once the page is drawn again
    const focused = document.activeElement?.dataset?.key;
    let live;
    try {
      live = await load();
      loaded = true;
      notice(null);
    } catch (e) {
      if (!loaded) {
        render(h("p", {class: "error"}, e.message));
        loading = false;
        return;
      }
      notice(`Cannot refresh (${e.message}); waiting for the server's next update.`);
      live = true;
    }
    if (focused) document.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    follow();
    document.getElementById("live").hidden = !live;
    loading = false;
    if (again) {
      again = false;
      refresh();
    }
  };
  // opened once the page has loaded: a page that failed to load (no such run) has nothing to follow
  stream.url = events;
  stream.open = () => {
    if (stream.source || !stream.url) return;
    // EventSource opens again by itself after a dropped connection; each time, "ready" first, and the page loads
    // again: what changed between its last load and the stream's start is in no event
    const source = new EventSource(stream.url);
    stream.source = source;
    for (const type of ["ready", "run", "status", "trial_end", "trials"]) source.addEventListener(type, refresh);
    // what the page's own script does with the rest (run.js: the open trial's log lines)
    for (const [type, handle] of Object.entries(stream.on)) source.addEventListener(type, handle);
    // the page read its events too slowly and some were dropped: a fresh stream (and loading again) makes up for them
    source.addEventListener("reload", () => reopenStream(stream.url));
    // the token was revoked, or the server refuses the stream: loading again says so (a 401 goes to /login)
    source.addEventListener("signed_out", () => {
      source.close();
      refresh();
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) refresh();
    };
  };
  const follow = () => stream.open();
  // leaving the page closes its stream at once: a browser opens only a few connections to one server
  addEventListener("pagehide", () => stream.source?.close());
  refresh();
}

// ---- routes: each page's function is in its script (project.js, run.js), loaded after this one ----

function start() {
  const routes = [
    [/^\/login\/?$/, () => loginPage()],
    [/^\/$/, () => projectsPage(), () => "/api/events"],
    [/^\/runs\/?$/, () => runsPage(null), () => "/api/events"],
    [/^\/projects\/([^/]+)\/?$/, m => runsPage(decodeURIComponent(m[1])), m => `/api/events?project=${m[1]}`],
    [/^\/runs\/([0-9]+)\/?$/, m => runPage(m[1]), m => `/api/events?run=${m[1]}`],
    [/^\/compare\/?$/, () => comparePage(), () => null],
  ];
  const route = routes.find(([pattern]) => pattern.test(location.pathname));
  const match = route && location.pathname.match(route[0]);
  if (route) show(() => route[1](match), route[2]?.(match));
  else render(h("p", {class: "error"}, `No page at ${location.pathname}.`));
  if (location.pathname !== "/login") sessionButton();
}
// deferred scripts all run, in order, before DOMContentLoaded
document.addEventListener("DOMContentLoaded", start);
