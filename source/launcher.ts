#!/usr/bin/env node
import {createRequire} from 'node:module';
import {chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Script} from 'node:vm';
import {codeCacheHook, type CodeCacheKind} from './code-cache-hook.js';
import {mark} from './trace.js';

mark('launcher');

/** The bundle's content hash, written in at build time (scripts/bundle.mjs). */
declare const DOCKERCEPTION_BUNDLE_HASH: string;

// Start-up is mostly compiling the bundle and running its code cold. V8 can save the bytecode of
// every function compiled so far and load it back on the next start; Node's own compile cache
// (22.1+) saves only what is compiled when a module loads, and Node 20 has none. So the bundle
// is one script, compiled here with V8's cached data: the TUI saves it after its first full frame
// (every function the start-up ran), any other command at exit when there was none.
// Stored in ~/.cache/dockerception/code (XDG_CACHE_HOME honoured), per bundle and Node version;
// V8 itself rejects data that does not match the source, the V8 version or its flags.
// DOCKERCEPTION_CODE_CACHE=0 turns it off.

const bundlePath = join(dirname(fileURLToPath(import.meta.url)), 'dockerception.cjs');
const source = readFileSync(bundlePath, 'utf8');
const cacheDir =
	process.env.DOCKERCEPTION_CODE_CACHE === '0' ? undefined : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dockerception', 'code');
const key = `${DOCKERCEPTION_BUNDLE_HASH}-${process.version}-${process.arch}`;
const cacheFile = (kind: CodeCacheKind) => join(cacheDir!, `${key}.${kind}`);

let loaded: CodeCacheKind | undefined;
let cachedData: Buffer | undefined;
for (const kind of ['tui', 'any'] as const) {
	if (!cacheDir) break;
	try {
		cachedData = readFileSync(cacheFile(kind));
		loaded = kind;
		break;
	} catch {}
}

const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
	filename: bundlePath,
	...(cachedData ? {cachedData} : {}),
});
if (script.cachedDataRejected) loaded = undefined;
mark('compiled', loaded ?? 'no-cache');

let written = false;
function save(kind: CodeCacheKind): void {
	// A TUI's cache beats any other (it covers the start-up the TUI runs); a command's cache is
	// written only when there was none.
	if (!cacheDir || written || loaded === 'tui' || (kind === 'any' && loaded)) return;
	written = true;
	try {
		mkdirSync(cacheDir, {recursive: true, mode: 0o700});
		chmodSync(cacheDir, 0o700);
		// Written whole, then renamed: two starts at once must never read half a file.
		const temporary = `${cacheFile(kind)}.${process.pid}`;
		writeFileSync(temporary, script.createCachedData(), {mode: 0o600});
		renameSync(temporary, cacheFile(kind));
		// Data for other bundles or Node versions is dead weight.
		for (const name of readdirSync(cacheDir)) if (!name.startsWith(key)) rmSync(join(cacheDir, name), {force: true});
	} catch {
		// A read-only or missing home: start without a cache, as before.
	}
}
codeCacheHook.save = save;
if (!loaded) process.once('exit', () => save('any'));

const module = {exports: {}};
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
