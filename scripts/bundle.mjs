#!/usr/bin/env node
// Bundle the CLI into one script, dist/bin/dockerception.cjs, run by a small launcher,
// dist/bin/cli.js (source/launcher.ts, which keeps V8's code cache for it). Start-up time is
// dominated by module resolution, compiling, and React's development build: one bundled file with
// the production build starts several times faster than tsc's output. tsc still type-checks and
// emits dist/ for the tests and scripts. It also builds the
// lab's reference topology (test/lab/topology.ts, outside tsc's rootDir) into dist/lab/ for
// scripts/ and bench/; dist/lab is not published (package.json "files" is dist/bin).
import {build} from 'esbuild';
import {rmSync} from 'node:fs';
import {writeNotices} from './notices.mjs';
import {fasterInkOutput, inkWithoutDevtools, lazyNormalize, noModemSsh, quietModem, syncYoga, bundleAlias} from './bundle-plugins.mjs';
import {readFile} from 'node:fs/promises';
import {createHash} from 'node:crypto';
import {relative, resolve, sep} from 'node:path';

/**
 * Lab code imports source/ modules; in the bundle they stay imports of tsc's output in dist/, so
 * a script gets one copy of each module (the same DaemonClient, the same caches) and the bundle
 * stays a few kilobytes.
 */
const sourceFromDist = {
	name: 'source-from-dist',
	setup(context) {
		const source = resolve('source');
		context.onResolve({filter: /^\.{1,2}\//}, (args) => {
			const within = relative(source, resolve(args.resolveDir, args.path));
			if (within.startsWith('..')) return undefined;
			return {path: `../${within.split(sep).join('/')}`, external: true};
		});
	},
};
const labBuild = build({
	entryPoints: {topology: 'test/lab/topology.ts', 'sysbox-stand-in': 'test/lab/sysbox-stand-in.ts', 'seat-user': 'test/lab/seat-user.ts'},
	outdir: 'dist/lab',
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	packages: 'external',
	plugins: [sourceFromDist],
	logLevel: 'warning',
});
rmSync('dist/bin', {recursive: true, force: true});
// The whole CLI as one script (source/launcher.ts compiles it with V8's code cache). Modules
// the first screen does not need are still evaluated only when first imported.
const cliBuild = build({
	entryPoints: {dockerception: 'source/cli.tsx'},
	outdir: 'dist/bin',
	outExtension: {'.js': '.cjs'},
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	// Licence headers stay at the end of each file; the full texts are in THIRD-PARTY-NOTICES.txt.
	legalComments: 'eof',
	metafile: true,
	define: {'process.env.NODE_ENV': '"production"', 'import.meta.url': 'importMetaUrl'},
	alias: bundleAlias,
	plugins: [noModemSsh, quietModem, lazyNormalize, syncYoga, inkWithoutDevtools, fasterInkOutput],
	minify: process.env.DOCKERCEPTION_MINIFY !== '0',
	banner: {js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
	logLevel: 'warning',
});
const [cli] = await Promise.all([cliBuild, labBuild]);
const bundleHash = createHash('sha256')
	.update(await readFile('dist/bin/dockerception.cjs'))
	.digest('hex')
	.slice(0, 16);
await build({
	entryPoints: {cli: 'source/launcher.ts'},
	outdir: 'dist/bin',
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	define: {DOCKERCEPTION_BUNDLE_HASH: JSON.stringify(bundleHash)},
	logLevel: 'warning',
});
writeNotices(cli.metafile);
