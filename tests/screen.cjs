// Measures XHTML documents as a Chromium-based reading system shows them on a screen of a
// given width: how far anything runs past the screen's right edge, and the widest word gap
// of every line, in spaces of the element's own font.
//
//   node screen.cjs <node_modules> <chromium> <width> <file.xhtml>...
//
// Prints one JSON object: {"<file>": {"overflow": px, "lines": n, "gaps": [[ratio, text]...]}}
// (the gaps are the lines whose widest gap is over 1.5 spaces, widest first).
"use strict";
const path = require("path");

async function main() {
  const [modules, chromium, width, ...files] = process.argv.slice(2);
  const puppeteer = require(path.join(modules, "puppeteer-core"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
  });
  const results = {};
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(width), height: 800 });
    for (const file of files) {
      await page.goto("file://" + file, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      results[file] = await page.evaluate(measure);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results));
}

function measure() {
  const screen = document.documentElement.clientWidth;
  let overflow = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - screen;
  // the natural space of an element: "x x" less "xx", set in the element itself (its font,
  // letter-spacing and word-spacing), measured once the words' boxes are known
  const spaceOf = new Map();
  function space(element) {
    if (!spaceOf.has(element)) {
      const probe = document.createElement("span");
      probe.style.whiteSpace = "pre";
      element.appendChild(probe);
      probe.textContent = "x x";
      const spaced = probe.getBoundingClientRect().width;
      probe.textContent = "xx";
      spaceOf.set(element, spaced - probe.getBoundingClientRect().width);
      probe.remove();
    }
    return spaceOf.get(element);
  }
  // every word of the body text in document order: its boxes, its element, and whether
  // white space stands before it
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let spaceBefore = true;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    const parent = node.parentElement;
    if (!parent || parent.closest("[aria-hidden='true'], script, style")) continue;
    const pattern = /\S+/g;
    let match;
    while ((match = pattern.exec(text))) {
      const before = match.index > 0 ? /\s/.test(text[match.index - 1]) : spaceBefore;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      if (rects.length) words.push({ text: match[0], rects, element: parent, before });
      spaceBefore = false;
    }
    if (text.length) spaceBefore = /\s$/.test(text);
  }
  const lines = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    for (const rect of word.rects) overflow = Math.max(overflow, rect.right - screen);
    const first = word.rects[0];
    const previous = index > 0 ? words[index - 1] : null;
    const last = previous ? previous.rects[previous.rects.length - 1] : null;
    const sameLine =
      last && Math.abs(first.bottom - last.bottom) < first.height / 2 && first.left > last.left;
    if (sameLine) {
      const line = lines[lines.length - 1];
      line.text += " " + word.text;
      if (word.before) line.widest = Math.max(line.widest, (first.left - last.right) / space(word.element));
    } else {
      lines.push({ widest: 0, text: word.text });
    }
    // a word broken across lines (overflow-wrap): its last box starts a new line
    for (let box = 1; box < word.rects.length; box++) lines.push({ widest: 0, text: word.text });
  }
  const gaps = lines.filter((line) => line.widest > 1.5).map((line) => [line.widest, line.text]);
  gaps.sort((a, b) => b[0] - a[0]);
  return { overflow, lines: lines.length, gaps };
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
