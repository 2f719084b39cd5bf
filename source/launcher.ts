#!/usr/bin/env node
import {createRequire} from 'node:module';
import {closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, isAbsolute, join} from 'node:path';
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
// is one script, compiled here with V8's cached data: the TUI saves it a second after discovery
// settles (every function the start-up and first frame ran), any other command at exit when
// there was none. Stored in ~/.cache/dockerception/code (an absolute XDG_CACHE_HOME honoured),
// named by the bundle's hash and the Node version: V8 checks only the source's length, its own
// version and its flags, so the name is what ties the data to this bundle. The data is code to
// V8: a file or directory another user could have written is not read.
// DOCKERCEPTION_CODE_CACHE=0 turns it off.

const bundlePath = join(dirname(fileURLToPath(import.meta.url)), 'dockerception.cjs');
const source = readFileSync(bundlePath, 'utf8');
const key = `${DOCKERCEPTION_BUNDLE_HASH}-${process.version}-${process.arch}`;

/** ~/.cache/dockerception/code, or nothing when turned off or when there is no usable home. */
function codeCacheDir(): string | undefined {
	if (process.env.DOCKERCEPTION_CODE_CACHE === '0') return undefined;
	try {
		const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
		// A relative XDG_CACHE_HOME (or an empty HOME) would put code in the working directory.
		return isAbsolute(base) ? join(base, 'dockerception', 'code') : undefined;
	} catch {
		// No HOME and no passwd entry (a container run with --user 1234).
		return undefined;
	}
}

/** Only this user may have written it: owned by us, not writable by group or others, no symlink. */
function ownedPrivately(stats: {uid: number; mode: number}): boolean {
	return (process.getuid === undefined || stats.uid === process.getuid()) && (stats.mode & 0o022) === 0;
}

function readCache(file: string): Buffer | undefined {
	let descriptor: number | undefined;
	try {
		descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
		const stats = fstatSync(descriptor);
		return stats.isFile() && ownedPrivately(stats) ? readFileSync(descriptor) : undefined;
	} catch {
		return undefined;
	} finally {
		if (descriptor !== undefined) closeSync(descriptor);
	}
}

const cacheDir = codeCacheDir();
const cacheFile = (kind: CodeCacheKind) => join(cacheDir!, `${key}.${kind}`);
const directoryStats = cacheDir ? lstatOrUndefined(cacheDir) : undefined;
const trustedDir = Boolean(directoryStats?.isDirectory() && ownedPrivately(directoryStats));

function lstatOrUndefined(path: string) {
	try {
		return lstatSync(path);
	} catch {
		return undefined;
	}
}

let loaded: CodeCacheKind | undefined;
let cachedData: Buffer | undefined;
for (const kind of ['tui', 'any'] as const) {
	if (!trustedDir) break;
	cachedData = readCache(cacheFile(kind));
	if (cachedData) {
		loaded = kind;
		break;
	}
}

// The bundle is strict code (it was written as modules): its own "use strict" is not the first
// statement (the build puts a line before it), so the wrapper says it.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {"use strict";${source}\n})`, {
	filename: bundlePath,
	...(cachedData ? {cachedData} : {}),
});
if (script.cachedDataRejected) loaded = undefined;
mark('compiled', loaded ?? 'no-cache');

let written = false;
/**
 * Save V8's data for the next start. It must run before any V8 flag is changed at run time
 * (source/ui/steady-memory.ts): the data carries a hash of the flags, checked when it is loaded.
 */
function save(kind: CodeCacheKind): void {
	// A TUI's cache beats any other (it covers the start-up the TUI runs); a command's cache is
	// written only when there was none.
	if (!cacheDir || written || loaded === 'tui' || (kind === 'any' && loaded)) return;
	written = true;
	try {
		mkdirSync(cacheDir, {recursive: true, mode: 0o700});
		const stats = lstatSync(cacheDir);
		if (!stats.isDirectory() || !ownedPrivately(stats)) return;
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
