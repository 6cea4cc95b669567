#!/usr/bin/env node
// Check one rendered chapter page in a real browser (Debian's Chromium, driven by playwright-core).
//
//   node tests/browser/check_page.mjs PAGE OUT_DIR [--root DIR] [--screenshot NAME.png] [--find-text TEXT]
//
// PAGE is an .html file or an http(s) URL. A file is served over HTTP from a small static server
// on 127.0.0.1 (the site folder: the nearest `_site` above the page, else the page's own folder,
// or --root), so the page loads as it would from a web server, not with file:// semantics.
// Requests to anything but that server are blocked and reported (the chapter is self-contained).
//
// Findings, printed as one JSON object on stdout (nothing else is printed there):
//   console_errors, console_warnings, page_errors, failed_requests, http_errors, blocked_requests,
//   dialogs (alert/confirm/prompt: each is dismissed and recorded), canary (typeof window.__pwned,
//   set only by an injected script), event_handler_attributes (on*="..." attributes anywhere),
//   scripts, title, h1, images (every <img> and role=img with its text alternative),
//   images_missing_alt, headings (h1..h6 in document order), heading_problems (a level skipped
//   going down, or a first heading that is not h1), axe (axe-core run with the WCAG 2.0/2.1/2.2
//   A and AA tags: violations with their elements, and the rule ids axe could not decide),
//   screenshot (full page PNG in OUT_DIR), focus (the first Tab stop: how it is drawn, and a
//   close-up NAME.focus.png), overflow (content wider than the window at 1280 px, 390 px
//   and 320 px, WCAG 1.4.10 reflow: the innermost elements that stick out), find_text (for each
//   --find-text, which may be repeated: how often TEXT occurs as text in the title and the body).
// Exit code: 0 when the check ran (whatever it found), 2 on bad arguments, 3 when the check itself
// failed (browser would not start, page would not load); then the JSON has an "error" field.
// Bounded: one page, every step has a timeout, and a watchdog ends the process after 150 s.

import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, existsSync, createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Flags needed on a closed network (see the README's "Browser check"): no background traffic.
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const STEP_TIMEOUT_MS = 45_000;
const WATCHDOG_MS = 150_000;
const MAX_ITEMS = 50; // cap each list so a broken page cannot produce megabytes of JSON

const MIME = {
  ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml",
  ".webp": "image/webp", ".ico": "image/x-icon", ".woff": "font/woff", ".woff2": "font/woff2",
  ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

function emit(obj, code) {
  process.stdout.write(JSON.stringify(obj, null, 2) + "\n", () => process.exit(code));
}

function parseArgs(argv) {
  const positional = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--root" || a === "--screenshot" || a === "--find-text") {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      if (a === "--find-text") (opts.findText ||= []).push(argv[++i]);
      else opts[a.slice(2)] = argv[++i];
    } else if (a.startsWith("--")) {
      throw new Error(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 2) throw new Error("usage: check_page.mjs PAGE OUT_DIR [--root DIR] [--screenshot NAME.png] [--find-text TEXT]");
  return { page: positional[0], outDir: resolve(positional[1]), ...opts };
}

function siteRootFor(file) {
  let dir = dirname(file);
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) === "_site") return d;
    if (dirname(d) === d) return dir;
  }
}

// A static file server for one folder, on 127.0.0.1 and a free port; never serves outside it.
function serve(root) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file).toLowerCase()] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

const clip = (s, n = 300) => (typeof s === "string" && s.length > n ? s.slice(0, n) + "…" : s);
const cap = (list) => list.slice(0, MAX_ITEMS);

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    emit({ error: String(e.message) }, 2);
    return;
  }
  const findings = {
    page: args.page, url: null, chromium: CHROMIUM, console_errors: [], console_warnings: [], page_errors: [],
    failed_requests: [], http_errors: [], blocked_requests: [], dialogs: [],
  };
  const watchdog = setTimeout(() => emit({ ...findings, error: `watchdog: gave up after ${WATCHDOG_MS} ms` }, 3),
    WATCHDOG_MS);

  let server = null;
  let context = null;
  const profile = mkdtempSync(join(tmpdir(), "jsna-chromium-"));
  try {
    let url;
    let allowedOrigin;
    if (/^https?:\/\//.test(args.page)) {
      url = args.page;
      allowedOrigin = new URL(url).origin;
    } else {
      const file = resolve(args.page);
      if (!existsSync(file)) throw new Error(`no such page: ${file}`);
      const root = resolve(args.root || siteRootFor(file));
      if (!file.startsWith(root + sep)) throw new Error(`${file} is not inside --root ${root}`);
      server = await serve(root);
      const { port } = server.address();
      allowedOrigin = `http://127.0.0.1:${port}`;
      const rel = file.slice(root.length + 1).split(sep).map(encodeURIComponent).join("/");
      url = `${allowedOrigin}/${rel}`;
    }
    findings.url = url;
    mkdirSync(args.outDir, { recursive: true });

    const { chromium } = require("playwright-core");
    // A fresh, empty profile for every run (a persistent context is how playwright takes one).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: STEP_TIMEOUT_MS,
      viewport: { width: 1280, height: 900 }, locale: "en-GB", offline: false,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    await context.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith(allowedOrigin + "/") || u === allowedOrigin) return route.continue();
      findings.blocked_requests.push(clip(u));
      return route.abort("blockedbyclient");
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on("console", (msg) => {
      const item = { text: clip(msg.text(), 1000), location: msg.location() };
      if (msg.type() === "error") findings.console_errors.push(item);
      else if (msg.type() === "warning") findings.console_warnings.push(item);
    });
    page.on("pageerror", (err) => findings.page_errors.push(clip(String(err && err.stack || err), 1000)));
    page.on("requestfailed", (req) => {
      const u = req.url();
      // Requests we blocked ourselves are already listed in blocked_requests.
      if (!findings.blocked_requests.includes(clip(u))) {
        findings.failed_requests.push({ url: clip(u), error: req.failure() && req.failure().errorText });
      }
    });
    page.on("response", (res) => {
      if (res.status() >= 400) findings.http_errors.push({ url: clip(res.url()), status: res.status() });
    });
    page.on("dialog", async (dialog) => {
      findings.dialogs.push({ type: dialog.type(), message: clip(dialog.message()) });
      await dialog.dismiss().catch(() => {});
    });

    const response = await page.goto(url, { waitUntil: "load" });
    findings.status = response ? response.status() : null;
    await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});

    Object.assign(findings, await page.evaluate(() => {
      const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : null);
      const labelledBy = (el) => (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
        .map((id) => text(document.getElementById(id)) || "").join(" ").trim();
      // Every <img>, every role=img, and every <svg> not hidden from assistive technology and not
      // already inside a role=img element.
      const images = [...document.querySelectorAll("img, [role=img], svg")]
        .filter((el) => el.tagName.toLowerCase() !== "svg" || el.getAttribute("role") === "img"
          || !el.parentElement || !el.parentElement.closest("[role=img], [aria-hidden=true]") && el.getAttribute("aria-hidden") !== "true")
        .map((el) => {
          const tag = el.tagName.toLowerCase();
          const svgTitle = tag === "svg" ? text(el.querySelector(":scope > title")) : null;
          const alt = (el.getAttribute("alt") ?? "").trim() || (el.getAttribute("aria-label") ?? "").trim()
            || labelledBy(el) || svgTitle || "";
          const src = el.getAttribute("src") || "";
          return {
            tag, role: el.getAttribute("role"), alt, has_alt_attribute: el.hasAttribute("alt"),
            decorative: el.getAttribute("alt") === "" && !el.getAttribute("role") || el.getAttribute("aria-hidden") === "true",
            src: src.startsWith("data:") ? src.slice(0, 30) + `… (${src.length} chars)` : src.slice(0, 300),
          };
        });
      const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .map((h) => ({ level: Number(h.tagName[1]), text: text(h).slice(0, 200), id: h.id || (h.closest("section[id]") || {}).id || null }));
      const heading_problems = [];
      if (headings.length && headings[0].level !== 1) heading_problems.push(`first heading is h${headings[0].level}, not h1: ${headings[0].text}`);
      for (let i = 1; i < headings.length; i++) {
        const prev = headings[i - 1];
        const h = headings[i];
        if (h.level > prev.level + 1) heading_problems.push(`h${prev.level} "${prev.text}" is followed by h${h.level} "${h.text}"`);
      }
      const event_handler_attributes = [];
      for (const el of document.querySelectorAll("*")) {
        for (const attr of el.attributes) {
          if (/^on/i.test(attr.name)) event_handler_attributes.push({ tag: el.tagName.toLowerCase(), attribute: attr.name, value: attr.value.slice(0, 200) });
        }
      }
      const scripts = [...document.scripts].map((s) => ({ src: s.getAttribute("src"), type: s.type || null, text: s.textContent.slice(0, 200) }));
      return {
        title: document.title, h1: [...document.querySelectorAll("h1")].map(text), lang: document.documentElement.lang,
        canary: typeof window.__pwned, images, headings, heading_problems, event_handler_attributes, scripts,
        javascript_urls: [...document.querySelectorAll("[href^='javascript:' i], [src^='javascript:' i]")].map((el) => el.outerHTML.slice(0, 200)),
      };
    }));
    findings.images_missing_alt = findings.images.filter((img) => !img.decorative && !img.alt);
    findings.h1_count = findings.h1.length;

    // Accessibility: axe-core, injected from node_modules, WCAG 2 A and AA rules only.
    const axePath = require.resolve("axe-core/axe.min.js");
    await page.addScriptTag({ content: readFileSync(axePath, "utf8") });
    const axe = await page.evaluate(async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] });
      return {
        version: window.axe.version, tags,
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, help_url: v.helpUrl, tags: v.tags, count: v.nodes.length,
          nodes: v.nodes.slice(0, 10).map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 300), summary: (n.failureSummary || "").slice(0, 500) })),
        })),
        incomplete: r.incomplete.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length })),
        passes: r.passes.map((v) => v.id),
      };
    }, AXE_TAGS);
    findings.axe = axe;

    const shot = join(args.outDir, args.screenshot || basename(url.split("?")[0]).replace(/\.html?$/i, "") + ".png");
    await page.screenshot({ path: shot, fullPage: true, timeout: STEP_TIMEOUT_MS });
    findings.screenshot = shot;

    // Keyboard focus: Tab once and record how the focused element is drawn (and a close-up of it).
    await page.keyboard.press("Tab");
    findings.focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { element: null };
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { element: el.outerHTML.slice(0, 160), outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
        box_shadow: cs.boxShadow, background: cs.backgroundColor, color: cs.color,
        visible_box: r.width > 0 && r.height > 0, rect: [r.x, r.y, r.width, r.height].map(Math.round) };
    });
    if (findings.focus.element) {
      const [x, y, w, h] = findings.focus.rect;
      const clip = { x: Math.max(0, x - 20), y: Math.max(0, y - 20), width: Math.max(1, w + 40), height: Math.max(1, h + 40) };
      findings.focus.screenshot = shot.replace(/\.png$/, "") + ".focus.png";
      await page.screenshot({ path: findings.focus.screenshot, clip, timeout: STEP_TIMEOUT_MS });
    }
    await page.keyboard.press("Shift+Tab");

    // Horizontal overflow: at the desktop width, at 390 CSS px (a phone) and at 320 CSS px (WCAG
    // 1.4.10 reflow). Data tables are exempt from reflow: a table that sticks out is listed once,
    // flagged table: true. An element inside a region that scrolls sideways on its own (the chapters'
    // table regions) is flagged contained: true: the page itself does not move.
    const overflow = () => page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const sticksOut = (el) => el.getBoundingClientRect().right > width + 1;
      const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
        && el.getBoundingClientRect().right <= width + 1;
      const contained = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (scrolls(up)) return true;
        }
        return false;
      };
      // The innermost elements that stick out; inside a table, the table itself stands for them.
      const seen = new Set();
      const culprits = [];
      for (const el of document.body.querySelectorAll("*")) {
        if (!sticksOut(el) || [...el.children].some(sticksOut)) continue;
        const who = el.closest("table") || el;
        if (seen.has(who)) continue;
        seen.add(who);
        const caption = who.tagName === "TABLE" && who.caption ? who.caption.textContent.trim() : null;
        culprits.push({ tag: who.tagName.toLowerCase(), right: Math.round(who.getBoundingClientRect().right),
          table: who.tagName === "TABLE", contained: contained(who), caption, html: who.outerHTML.slice(0, 160) });
      }
      return { width, scroll_width: document.documentElement.scrollWidth, count: culprits.length,
        outside_tables: culprits.filter((c) => !c.table).length,
        uncontained: culprits.filter((c) => !c.contained).length,
        elements: [...culprits.filter((c) => !c.table), ...culprits.filter((c) => c.table)].slice(0, 20) };
    });
    findings.overflow = { desktop: await overflow() };
    await page.setViewportSize({ width: 390, height: 844 });
    findings.overflow.phone = await overflow();
    // At 390 px: the <main> landmark; words a line break splits in two (a word whose text makes more
    // than one box on the page); and the smallest text in each SVG chart as shown (its smallest
    // font-size times the scale the page draws the image at).
    findings.phone = await page.evaluate(() => {
      const landmarks = document.querySelectorAll("main, [role=main]").length;
      const broken = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && broken.length < 20; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !parent.closest("p, li, h1, h2, h3, h4, figcaption, td, th") || parent.closest("pre, code")) continue;
        const re = /[A-Za-z]{4,}/g;
        for (let m = re.exec(node.data); m && broken.length < 20; m = re.exec(node.data)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push({ word: m[0], in: parent.tagName.toLowerCase() });
        }
      }
      const charts = [...document.querySelectorAll("img")].filter((img) => (img.currentSrc || img.src)
        .startsWith("data:image/svg+xml")).map((img) => {
        const src = img.currentSrc || img.src;
        const comma = src.indexOf(",");
        const text = src.slice(0, comma).includes(";base64") ? atob(src.slice(comma + 1))
          : decodeURIComponent(src.slice(comma + 1));
        const sizes = [...text.matchAll(/font-size="([\d.]+)"/g)].map((m) => parseFloat(m[1]));
        const width = parseFloat((text.match(/<svg[^>]*\swidth="([\d.]+)/) || [])[1] || img.naturalWidth);
        const shown = img.getBoundingClientRect().width;
        return { alt: (img.alt || "").slice(0, 60), smallest_px: sizes.length ? Math.min(...sizes) * shown / width : null };
      });
      return { main_landmarks: landmarks, broken_words: broken, charts };
    });
    await page.setViewportSize({ width: 320, height: 800 });
    findings.overflow.narrow = await overflow();
    // The canary is read again after axe and the screenshot: a late-running injected script counts too.
    findings.canary = await page.evaluate(() => typeof window.__pwned);
    if (args.findText) {
      findings.find_text = await page.evaluate((needles) => needles.map((needle) => {
        const norm = (t) => t.replace(/\s+/g, " ");
        const count = (hay) => (needle ? norm(hay).split(norm(needle)).length - 1 : 0);
        return { text: needle, in_title: count(document.title), in_body: count(document.body.textContent) };
      }), args.findText);
    }

    for (const k of ["console_errors", "console_warnings", "page_errors", "failed_requests", "http_errors",
      "blocked_requests", "dialogs", "event_handler_attributes", "scripts", "images", "images_missing_alt"]) {
      if (findings[k].length > MAX_ITEMS) findings[`${k}_truncated`] = findings[k].length;
      findings[k] = cap(findings[k]);
    }
  } catch (e) {
    findings.error = clip(String(e && e.stack || e), 2000);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  clearTimeout(watchdog);
  emit(findings, findings.error ? 3 : 0);
}

main();
