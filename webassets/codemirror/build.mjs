// Bundles entry.mjs into one minified ES module the bot serves itself, with the licences
// of everything inside it, so running and testing the bot never needs npm.
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const out = "../../bot/console/static/vendor";
const result = await build({
  entryPoints: ["entry.mjs"],
  bundle: true,
  format: "esm",
  minify: true,
  metafile: true,
  legalComments: "none",
  target: "es2020",
  outfile: `${out}/codemirror.js`,
});

// Every package that ended up in the bundle, with its licence text.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = join("node_modules", name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : meta.license;
  return `${name} ${meta.version} (${meta.license})\n\n${text.trim()}\n`;
});
writeFileSync(
  `${out}/codemirror.LICENSE.txt`,
  "codemirror.js bundles these packages (built by webassets/codemirror, `npm run build`):\n\n" +
    notices.join("\n" + "-".repeat(72) + "\n\n"),
);
console.log(`bundled ${packages.size} packages into ${out}/codemirror.js`);
