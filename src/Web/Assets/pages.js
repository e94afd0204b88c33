// The four pages. Each renders into `root` from the JSON API; data only ever enters the DOM as text.
"use strict";

function keyValueTable(rows, headers, className) {
  return el("table", { class: "kv " + (className || "") },
    el("thead", null, el("tr", null, headers.map(h => el("th", null, h)))),
    el("tbody", null, rows.map(r => el("tr", null, r.map(c => el("td", null, c))))));
}

function shortId(id) { return id.slice(0, 8); }

// ---------------------------------------------------------------- experiments

async function experimentsPage(root, info) {
  const params = routeParams();
  const view = params.get("view") || "active";
  root.appendChild(el("h1", null, "Experiments"));
  const viewSelect = el("select", { id: "experiment-view", onchange: e => { location.hash = routeHref("/", { view: e.target.value }); } },
    ["active", "deleted", "all"].map(v => el("option", { value: v, selected: v === view }, v)));
  root.appendChild(el("div", { class: "toolbar" }, el("label", null, "Show ", viewSelect)));
  const data = await api("/api/experiments", { view });
  const rows = data.experiments.map(x => {
    const cells = [
      el("td", null, el("a", { href: routeHref("/runs", { exp: x.experiment_id }), class: "experiment-link" }, x.name)),
      el("td", { class: "mono" }, x.experiment_id),
      el("td", { class: "num" }, String(x.active_runs)),
      el("td", { class: "num" }, String(x.deleted_runs)),
      el("td", null, formatTime(x.creation_time)),
      el("td", { class: "mono" }, x.artifact_location),
    ];
    if (!info.read_only) {
      cells.push(el("td", null, el("button", {
        onclick: async () => {
          const name = prompt("New name for experiment " + x.experiment_id, x.name);
          if (!name || name === x.name) return;
          try { await apiPost(`/api/experiments/${encodeURIComponent(x.experiment_id)}/rename`, { name }); render(); }
          catch (e) { root.prepend(errorBox(e)); }
        },
      }, "Rename")));
    }
    return el("tr", { "data-experiment-id": x.experiment_id }, cells);
  });
  const headers = ["Name", "ID", "Active runs", "Deleted runs", "Created", "Artifact location"];
  if (!info.read_only) headers.push("");
  root.appendChild(el("table", { class: "grid", id: "experiments" },
    el("thead", null, el("tr", null, headers.map(h => el("th", null, h)))),
    el("tbody", null, rows.length ? rows : el("tr", null, el("td", { colspan: headers.length }, "No experiments.")))));
}

// ---------------------------------------------------------------- runs

function quoteKey(key) { return "`" + key + "`"; }

// Without a choice: up to six metrics (plain names such as IC first) and the params whose values differ
// between the runs on the page (what tells them apart), else the first two params.
function defaultColumns(available, runs) {
  const plainFirst = keys => [...keys].sort((a, b) => (a.includes(".") - b.includes(".")) || (a < b ? -1 : a > b ? 1 : 0));
  const varying = available.params.filter(k => new Set(runs.map(r => r.params[k])).size > 1);
  const params = varying.length ? plainFirst(varying).slice(0, 4) : plainFirst(available.params).slice(0, 2);
  return [...plainFirst(available.metrics).slice(0, 6).map(k => "metrics." + k), ...params.map(k => "params." + k)];
}

function splitColumn(column) {
  const dot = column.indexOf(".");
  return { kind: column.slice(0, dot), key: column.slice(dot + 1) };
}

async function runsPage(root) {
  const params = routeParams();
  const exp = params.get("exp") || "";
  const filter = params.get("filter") || "";
  const order = params.get("order") || "";
  const view = params.get("view") || "active";
  const pages = (params.get("pages") || "").split(",").filter(Boolean);
  const chosen = params.get("cols");
  const state = { exp, filter, order, view, cols: chosen || undefined };
  const go = changes => { location.hash = routeHref("/runs", { ...state, ...changes }); };

  const title = el("h1", null, "Runs");
  root.appendChild(title);
  if (exp) {
    api("/api/experiments/" + encodeURIComponent(exp.split(",")[0]))
      .then(x => { clear(title); title.append("Runs of ", el("span", { class: "experiment-name" }, x.name)); })
      .catch(() => {});
  }

  const filterInput = el("input", { id: "filter", type: "text", value: filter, spellcheck: "false",
    placeholder: "metrics.IC > 0.02 AND params.model = 'ridge' AND tags.mlflow.runName LIKE 'ridge%'" });
  const orderInput = el("input", { id: "order-by", type: "text", value: order, spellcheck: "false", placeholder: "metrics.`IC` DESC" });
  const viewSelect = el("select", { id: "run-view" }, ["active", "deleted", "all"].map(v => el("option", { value: v, selected: v === view }, v)));
  const form = el("form", { class: "search", id: "search-form", onsubmit: e => {
    e.preventDefault();
    go({ filter: filterInput.value.trim(), order: orderInput.value.trim(), view: viewSelect.value, pages: undefined });
  } },
    el("label", { class: "grow" }, "Filter ", filterInput),
    el("label", null, "Order by ", orderInput),
    el("label", null, "Show ", viewSelect),
    el("button", { type: "submit", id: "apply-filter" }, "Search"));
  root.appendChild(form);
  const errorSlot = el("div", { id: "filter-error" });
  root.appendChild(errorSlot);

  let data;
  try {
    data = await api("/api/runs", {
      experiment_ids: exp, filter, order_by: order ? order.split(";") : undefined, view,
      page_token: pages[pages.length - 1], max_results: 25, columns: chosen || undefined,
    });
  } catch (e) {
    if (e.status === 400) { errorSlot.appendChild(errorBox(e)); return; }
    throw e;
  }

  const columns = chosen ? chosen.split(",").filter(Boolean) : defaultColumns(data.available_columns, data.runs);
  const columnPicker = el("details", { class: "columns", id: "column-picker" }, el("summary", null, "Columns"));
  const boxes = [];
  for (const kind of ["metrics", "params", "tags"]) {
    const keys = data.available_columns[kind];
    if (!keys.length) continue;
    columnPicker.appendChild(el("div", { class: "column-group" }, el("strong", null, kind),
      keys.map(key => {
        const box = el("input", { type: "checkbox", value: kind + "." + key, checked: columns.includes(kind + "." + key) });
        boxes.push(box);
        return el("label", { class: "column-choice" }, box, " " + key);
      })));
  }
  columnPicker.appendChild(el("button", { type: "button", id: "apply-columns", onclick: () =>
    go({ cols: boxes.filter(b => b.checked).map(b => b.value).join(",") || "none", pages: params.get("pages") || undefined }) }, "Apply columns"));
  root.appendChild(columnPicker);

  const sortHeader = (label, orderKey) => {
    const current = order.split(";")[0] || "";
    const active = current.startsWith(orderKey + " ") || current === orderKey;
    const desc = active && /DESC$/i.test(current);
    const next = active && desc ? orderKey + " ASC" : orderKey + " DESC";
    return el("th", { class: active ? "sorted" : null },
      el("a", { href: routeHref("/runs", { ...state, order: next }), title: "Sort by " + label }, label, active ? (desc ? " ▼" : " ▲") : ""));
  };
  const shown = columns.filter(c => c !== "none").map(splitColumn);
  const selected = new Set();
  const compareButton = el("button", { id: "compare-selected", disabled: true, onclick: () => {
    location.hash = routeHref("/compare", { runs: [...selected].join(",") });
  } }, "Compare selected");

  const head = el("tr", null, el("th", null, ""), sortHeader("Run", "attributes.run_name"), el("th", null, "Status"),
    sortHeader("Started", "attributes.start_time"),
    shown.map(c => sortHeader(c.key, (c.kind === "tags" ? "tags." : c.kind + ".") + quoteKey(c.key))));
  const body = el("tbody");
  for (const run of data.runs) {
    const box = el("input", { type: "checkbox", class: "select-run", "aria-label": "select run " + run.run_id, onchange: e => {
      if (e.target.checked) selected.add(run.run_id); else selected.delete(run.run_id);
      compareButton.disabled = selected.size < 2;
    } });
    body.appendChild(el("tr", { "data-run-id": run.run_id },
      el("td", null, box),
      el("td", null, el("a", { href: "#/run/" + encodeURIComponent(run.run_id), class: "run-link" }, run.run_name || shortId(run.run_id)),
        " ", el("span", { class: "run-id" }, shortId(run.run_id))),
      el("td", null, el("span", { class: "status " + run.status.toLowerCase() }, run.status)),
      el("td", null, formatTime(run.start_time)),
      shown.map(c => {
        const value = run[c.kind] ? run[c.kind][c.key] : undefined;
        return el("td", { class: c.kind === "metrics" ? "num" : null }, c.kind === "metrics" ? formatNumber(value) : value ?? "");
      })));
  }
  if (!data.runs.length) body.appendChild(el("tr", null, el("td", { colspan: 4 + shown.length }, "No runs match.")));
  root.appendChild(el("div", { class: "table-scroll" }, el("table", { class: "grid", id: "runs" }, el("thead", null, head), body)));

  const pager = el("div", { class: "pager" },
    el("button", { id: "prev-page", disabled: pages.length === 0, onclick: () => go({ pages: pages.slice(0, -1).join(",") || undefined }) }, "← Previous"),
    el("span", { id: "page-number" }, "Page " + (pages.length + 1)),
    el("button", { id: "next-page", disabled: !data.next_page_token, onclick: () => go({ pages: [...pages, data.next_page_token].join(",") }) }, "Next →"),
    compareButton);
  root.appendChild(pager);
}

// ---------------------------------------------------------------- one run

async function runPage(root, info, runId) {
  const run = await api("/api/runs/" + encodeURIComponent(runId));
  const i = run.info;
  root.appendChild(el("h1", null, "Run ", el("span", { class: "run-name" }, i.run_name || shortId(i.run_id))));
  root.appendChild(el("p", null, el("a", { href: routeHref("/runs", { exp: i.experiment_id }) }, "← runs of experiment " + i.experiment_id)));
  if (!info.read_only) {
    const deleted = i.lifecycle_stage === "deleted";
    root.appendChild(el("button", { id: deleted ? "restore-run" : "delete-run", onclick: async () => {
      try { await apiPost(`/api/runs/${encodeURIComponent(runId)}/${deleted ? "restore" : "delete"}`, {}); render(); }
      catch (e) { root.prepend(errorBox(e)); }
    } }, deleted ? "Restore run" : "Delete run"));
  }
  root.appendChild(keyValueTable([
    ["Run ID", i.run_id], ["Experiment", i.experiment_id], ["Status", i.status], ["User", i.user_id],
    ["Started", formatTime(i.start_time)], ["Ended", formatTime(i.end_time)],
    ["Lifecycle", i.lifecycle_stage], ["Artifacts", i.artifact_uri],
  ], ["", ""], "info"));

  const records = el("section", { id: "records" });
  root.appendChild(records);
  const charts = el("section", { id: "metric-charts" }, el("h2", null, "Metric charts"));
  const chartSlot = el("div", { class: "charts" });
  charts.appendChild(chartSlot);
  const charted = new Set();
  const chartMetric = async key => {
    if (charted.has(key)) return;
    charted.add(key);
    try {
      const h = await api("/api/runs/" + encodeURIComponent(runId) + "/metric-history", { key });
      chartSlot.appendChild(lineChart({
        title: key, xKind: "step", xLabel: "step", yLabel: key,
        series: [{ name: i.run_name || shortId(i.run_id), points: h.history.map(p => ({ x: p.step, y: typeof p.value === "number" ? p.value : null })) }],
      }));
    } catch (e) { chartSlot.appendChild(errorBox(e)); }
  };

  root.appendChild(el("h2", null, "Metrics"));
  root.appendChild(keyValueTable(run.metrics.map(m => [
    m.key, formatNumber(m.value), String(m.step), formatTime(m.timestamp),
    el("button", { class: "chart-metric", onclick: () => chartMetric(m.key) }, "Chart"),
  ]), ["Metric", "Latest value", "Step", "Logged", ""], "metrics"));
  root.appendChild(charts);
  root.appendChild(el("h2", null, "Parameters"));
  root.appendChild(keyValueTable(Object.entries(run.params), ["Parameter", "Value"], "params"));
  root.appendChild(el("h2", null, "Tags"));
  root.appendChild(keyValueTable(Object.entries(run.tags), ["Tag", "Value"], "tags"));

  root.appendChild(el("h2", null, "Artifacts"));
  const preview = el("div", { id: "artifact-preview" });
  root.appendChild(await artifactTree(runId, null, preview));
  root.appendChild(preview);

  for (const m of run.metrics) if (m.step > 0) await chartMetric(m.key);
  if (charted.size === 0) chartSlot.appendChild(el("p", { class: "hint" }, "Every metric has one step; use Chart to plot one."));
  await recordCharts(records, runId);
}

async function artifactTree(runId, path, preview) {
  const listing = await api("/api/runs/" + encodeURIComponent(runId) + "/artifacts", { path });
  const list = el("ul", { class: path ? "tree" : "tree root", id: path ? null : "artifact-tree" });
  if (!listing.files.length && !path) list.appendChild(el("li", { class: "hint" }, "No artifacts."));
  for (const f of listing.files) {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    if (f.is_dir) {
      const item = el("li", { class: "dir" });
      let open = null;
      const toggle = el("button", { class: "link", "data-path": f.path, onclick: async () => {
        if (open) { open.remove(); open = null; toggle.textContent = "▸ " + name + "/"; return; }
        open = await artifactTree(runId, f.path, preview);
        toggle.textContent = "▾ " + name + "/";
        item.appendChild(open);
      } }, "▸ " + name + "/");
      item.appendChild(toggle);
      list.appendChild(item);
    } else {
      const href = "/api/runs/" + encodeURIComponent(runId) + "/artifacts/download?path=" + encodeURIComponent(f.path);
      list.appendChild(el("li", { class: "file", "data-path": f.path },
        el("span", { class: "file-name" }, name), " ", el("span", { class: "size" }, formatBytes(f.file_size)), " ",
        el("a", { href, download: name, class: "download" }, "Download"), " ",
        el("button", { class: "preview", onclick: () => showPreview(runId, f.path, preview) }, "Preview")));
    }
  }
  return list;
}

async function showPreview(runId, path, slot) {
  clear(slot);
  slot.appendChild(el("h3", null, "Preview: ", el("span", { class: "mono" }, path)));
  let p;
  try { p = await api("/api/runs/" + encodeURIComponent(runId) + "/artifacts/preview", { path }); }
  catch (e) { slot.appendChild(errorBox(e)); return; }
  if (p.kind === "table") {
    slot.appendChild(el("p", { class: "hint" }, `${p.total_rows} rows` + (p.truncated ? `, first ${p.rows.length} shown` : "")));
    slot.appendChild(el("div", { class: "table-scroll" }, el("table", { class: "grid preview-table" },
      el("thead", null, el("tr", null, p.columns.map(c => el("th", { title: c.type }, c.name)))),
      el("tbody", null, p.rows.map(r => el("tr", null, r.map(v => el("td", null, v === null ? "null" : v))))))));
  } else if (p.kind === "text" || p.kind === "json") {
    slot.appendChild(el("pre", { class: "preview-text" }, p.text));
    if (p.truncated) slot.appendChild(el("p", { class: "hint" }, "Truncated; download the file for all of it."));
  } else if (p.kind === "error") {
    slot.appendChild(errorBox({ message: p.message }));
  } else {
    slot.appendChild(el("p", { class: "hint" }, `Binary file (${formatBytes(p.file_size)}); download it to read it.`));
  }
}

async function recordCharts(section, runId) {
  let r;
  try { r = await api("/api/runs/" + encodeURIComponent(runId) + "/records"); }
  catch (e) { section.appendChild(errorBox(e)); return; }
  if (!r.ic && !r.rank_ic && !r.report && !r.problems.length) return;
  section.appendChild(el("h2", null, "Record analysis"));
  for (const problem of r.problems) section.appendChild(errorBox({ message: problem }));
  const box = el("div", { class: "charts" });
  section.appendChild(box);
  const icSeries = [];
  if (r.ic) icSeries.push({ name: `IC (mean ${formatNumber(r.ic.mean)})`, points: datePoints(r.ic.dates, r.ic.values) });
  if (r.rank_ic) icSeries.push({ name: `Rank IC (mean ${formatNumber(r.rank_ic.mean)})`, points: datePoints(r.rank_ic.dates, r.rank_ic.values) });
  if (icSeries.length) box.appendChild(lineChart({ title: "IC / Rank IC by day", xKind: "date", xLabel: "date", yLabel: "correlation", series: icSeries }));
  if (r.report) {
    const rep = r.report;
    box.appendChild(lineChart({ title: "Cumulative excess return", xKind: "date", xLabel: "date", yLabel: "cumulative excess return", series: [
      { name: "without cost", points: datePoints(rep.dates, rep.cum_excess_return_without_cost) },
      { name: "with cost", points: datePoints(rep.dates, rep.cum_excess_return_with_cost) },
    ] }));
    box.appendChild(lineChart({ title: "Drawdown of the cumulative excess return", xKind: "date", xLabel: "date", yLabel: "drawdown", series: [
      { name: "without cost", points: datePoints(rep.dates, rep.drawdown_without_cost) },
      { name: "with cost", points: datePoints(rep.dates, rep.drawdown_with_cost) },
    ] }));
  }
}

// ---------------------------------------------------------------- compare

async function comparePage(root) {
  const runs = (routeParams().get("runs") || "").split(",").filter(Boolean);
  root.appendChild(el("h1", null, "Compare runs"));
  const data = await api("/api/compare", { run_ids: runs.join(",") });
  // Runs or histories the store could not read are left out; say so rather than leave a silent gap.
  for (const warning of data.warnings) root.appendChild(el("p", { class: "warning", role: "status" }, warning));
  const names = data.runs.map(r => (r.run_name || shortId(r.run_id)) + " (" + shortId(r.run_id) + ")");
  root.appendChild(el("ul", { class: "compared-runs" }, data.runs.map((r, k) =>
    el("li", null, el("span", { class: "swatch", "data-color": k }), el("a", { href: "#/run/" + encodeURIComponent(r.run_id) }, names[k])))));
  for (const [k, swatch] of [...root.querySelectorAll(".swatch")].entries()) swatch.style.background = PALETTE[k % PALETTE.length];

  const onlyDiff = el("input", { type: "checkbox", id: "only-differences", checked: true });
  const paramTable = el("table", { class: "grid", id: "param-diff" });
  const drawParams = () => {
    clear(paramTable);
    paramTable.appendChild(el("thead", null, el("tr", null, el("th", null, "Parameter"), names.map(n => el("th", null, n)))));
    const rows = data.params.filter(p => !onlyDiff.checked || p.differs);
    paramTable.appendChild(el("tbody", null, rows.length ? rows.map(p => el("tr", { class: p.differs ? "differs" : null },
      el("td", null, p.key), p.values.map(v => el("td", { class: v === null ? "missing" : null }, v === null ? "—" : v))))
      : el("tr", null, el("td", { colspan: names.length + 1 }, "No parameter differs."))));
  };
  onlyDiff.addEventListener("change", drawParams);
  drawParams();
  root.appendChild(el("h2", null, "Parameters"));
  root.appendChild(el("label", null, onlyDiff, " only differences"));
  root.appendChild(el("div", { class: "table-scroll" }, paramTable));

  root.appendChild(el("h2", null, "Latest metrics"));
  root.appendChild(el("div", { class: "table-scroll" }, el("table", { class: "grid", id: "metric-diff" },
    el("thead", null, el("tr", null, el("th", null, "Metric"), names.map(n => el("th", null, n)))),
    el("tbody", null, data.metrics.map(m => el("tr", { class: m.differs ? "differs" : null },
      el("td", null, m.key), m.values.map(v => el("td", { class: "num" }, v === null ? "—" : formatNumber(v)))))))));

  root.appendChild(el("h2", null, "Metric histories by step"));
  const charts = el("div", { class: "charts", id: "compare-charts" });
  root.appendChild(charts);
  if (!data.histories.length) charts.appendChild(el("p", { class: "hint" }, "No metric has more than one step in these runs."));
  for (const h of data.histories) {
    charts.appendChild(lineChart({ title: h.key, xKind: "step", xLabel: "step", yLabel: h.key,
      series: h.series.map((points, k) => ({ name: names[k], points: points.map(p => ({ x: p.step, y: typeof p.value === "number" ? p.value : null })) })) }));
  }
}
