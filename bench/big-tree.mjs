#!/usr/bin/env node
// 1000 containers across 10 daemons: the model is the captured lab tree, multiplied (the UI
// reads only the model, so this is what it would draw for a lab that size). Measures key press
// to new frame (j, G, g, filter typing) and resident memory, in a 120x40 terminal.
// The measuring part (big-tree-run.mjs) is bundled first with the CLI's Ink patches
// (scripts/bundle-plugins.mjs), so it runs the Ink and React that dockerception ships, as one
// file, like the product. UNPATCHED=1 measures Ink as published instead.
import {build} from 'esbuild';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {bundleAlias, fasterInkOutput, inkWithoutDevtools, noModemSsh, quietModem} from '../scripts/bundle-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bench/big-tree.mjs`;
await build({
	entryPoints: [`${root}bench/big-tree-run.mjs`],
	outfile: out,
	absWorkingDir: root,
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	define: {'process.env.NODE_ENV': '"production"'},
	alias: bundleAlias,
	// UNPATCHED=1: and V8's young generation left to grow (big-tree-run.mjs).
	plugins: [noModemSsh, quietModem, inkWithoutDevtools, ...(process.env.UNPATCHED === '1' ? [] : [fasterInkOutput])],
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
	logLevel: 'warning',
	minify: process.env.DOCKERCEPTION_MINIFY !== '0',
});
const result = spawnSync(process.execPath, ['--expose-gc', out], {
	stdio: 'inherit',
	env: {...process.env, LAB_TREE: `${root}test/fixtures/lab-tree.json`},
});
process.exitCode = result.status ?? 1;
