#!/usr/bin/env node
// Bundle the CLI into dist/cli.js (plus a lazily loaded chunk for the TUI). Start-up time is
// dominated by module resolution and by React's development build: one bundled file with the
// production build starts several times faster than tsc's output. tsc still type-checks and
// emits dist/ for the tests and scripts; this overwrites only the CLI entry. It also builds the
// lab's reference topology (test/lab/topology.ts, outside tsc's rootDir) into dist/lab/ for
// scripts/ and bench/; dist/lab is not published (package.json "files" is dist/bin).
import {build} from 'esbuild';
import {rmSync} from 'node:fs';
import {writeNotices} from './notices.mjs';
import {readFile} from 'node:fs/promises';
import {relative, resolve, sep} from 'node:path';

const empty = new URL('./bundle-empty.cjs', import.meta.url).pathname;

/**
 * ssh:// goes through the system ssh (source/daemon/ssh-transport.ts), never docker-modem's own
 * ssh agent: leave that agent, ssh2 and its native cpu-features out of the bundle.
 */
const noModemSsh = {
	name: 'no-modem-ssh',
	setup(context) {
		context.onResolve({filter: /^\.\/ssh$/}, (args) => (args.importer.includes('docker-modem') ? {path: 'docker-modem-ssh', namespace: 'stub'} : undefined));
		context.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
			contents: "module.exports = function () { throw new Error('ssh:// is reached through the system ssh, not docker-modem'); };",
			loader: 'js',
		}));
	},
};
/**
 * docker-modem formats every request with util.inspect for its debug log before asking whether
 * that log is on: a few milliseconds of start-up for nothing. Ask first.
 */
const quietModem = {
	name: 'quiet-modem',
	setup(context) {
		context.onLoad({filter: /docker-modem[\\/]lib[\\/]modem\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const patched = source.replace("debug('Sending: %s', util.inspect(", "debug.enabled && debug('Sending: %s', util.inspect(");
			if (patched === source) console.warn('bundle: docker-modem changed, its request logging is not skipped');
			return {contents: patched, loader: 'js'};
		});
	},
};
/**
 * meow evaluates normalize-package-data (and the SPDX licence tables behind it, ~10 ms) at
 * start-up, for `cli.pkg`, which dockerception never reads: evaluate it on first use instead.
 */
const lazyNormalize = {
	name: 'lazy-normalize',
	setup(context) {
		context.onLoad({filter: /meow[\\/]build[\\/]dependencies\.js$/}, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const patched = source.replace(
				'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);',
				'const normalizePackageData = (...args) => getDefaultExportFromCjs(requireNormalize())(...args);',
			);
			if (patched === source) console.warn('bundle: meow changed, normalize-package-data is loaded at start-up');
			return {contents: patched, loader: 'js'};
		});
	},
};
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
	entryPoints: {topology: 'test/lab/topology.ts', 'sysbox-stand-in': 'test/lab/sysbox-stand-in.ts'},
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
const cliBuild = build({
	entryPoints: {cli: 'source/launcher.ts'},
	outdir: 'dist/bin',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Licence headers stay at the end of each file; the full texts are in THIRD-PARTY-NOTICES.txt.
	legalComments: 'eof',
	metafile: true,
	chunkNames: 'chunks/[name]-[hash]',
	define: {'process.env.NODE_ENV': '"production"'},
	// Not used by dockerception: Ink's devtools, dockerode's BuildKit session (gRPC, protobuf).
	alias: {
		// Ink's width measuring, lazy and with a fast path for the tree's own characters.
		'string-width': './source/ui/string-width.ts',
		'react-devtools-core': empty,
		'@grpc/grpc-js': empty,
		'@grpc/proto-loader': empty,
		protobufjs: empty,
	},
	plugins: [noModemSsh, quietModem, lazyNormalize],
	minify: process.env.DOCKERCEPTION_MINIFY !== '0',
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
	logLevel: 'warning',
});
const [cli] = await Promise.all([cliBuild, labBuild]);
writeNotices(cli.metafile);
