import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';

const run = promisify(execFile);

/** The launcher (dist/bin/cli.js) keeps V8's code cache of the bundle; see source/launcher.ts. */
describe('the code cache', () => {
	let cacheHome: string;
	const cacheDir = () => join(cacheHome, 'dockerception', 'code');
	const start = (env: Record<string, string> = {}) =>
		run('node', ['dist/bin/cli.js', '--version'], {env: {...process.env, XDG_CACHE_HOME: cacheHome, ...env}, timeout: 30_000});

	beforeEach(() => {
		cacheHome = mkdtempSync(join(tmpdir(), 'dockerception-cache-'));
	});
	afterEach(() => {
		rmSync(cacheHome, {recursive: true, force: true});
	});

	it('is written on the first start, private to the user, and used by the next', async () => {
		expect((await start()).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
		const files = readdirSync(cacheDir());
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(new RegExp(`-${process.version}-${process.arch}\\.any$`));
		expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
		expect(statSync(join(cacheDir(), files[0]!)).mode & 0o777).toBe(0o600);
		const written = statSync(join(cacheDir(), files[0]!)).mtimeMs;
		// Accepted on the next start: not written again.
		await start();
		expect(statSync(join(cacheDir(), files[0]!)).mtimeMs).toBe(written);
	});

	it('a damaged cache is rejected and replaced, and the start goes on', async () => {
		await start();
		const [file] = readdirSync(cacheDir());
		writeFileSync(join(cacheDir(), file!), 'not V8 cached data');
		expect((await start()).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
		expect(readFileSync(join(cacheDir(), file!)).length).toBeGreaterThan(1000);
	});

	it('data of other builds is removed when a new cache is written', async () => {
		mkdirSync(cacheDir(), {recursive: true});
		writeFileSync(join(cacheDir(), `0123456789abcdef-${process.version}-${process.arch}.tui`), 'an older build');
		await start();
		expect(readdirSync(cacheDir()).some((name) => name.startsWith('0123456789abcdef'))).toBe(false);
	});

	it('a cache directory that cannot be written leaves the start unharmed, and DOCKERCEPTION_CODE_CACHE=0 writes none', async () => {
		// A file where the directory should be (file modes would not stop root).
		writeFileSync(join(cacheHome, 'blocker'), '');
		const {stdout, stderr} = await start({XDG_CACHE_HOME: join(cacheHome, 'blocker')});
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
		expect(stderr).toBe('');
		await start({DOCKERCEPTION_CODE_CACHE: '0'});
		expect(readdirSync(cacheHome)).toEqual(['blocker']);
	});
});
