import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
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
		run(process.execPath, ['dist/bin/cli.js', '--version'], {env: {...process.env, XDG_CACHE_HOME: cacheHome, ...env}, timeout: 30_000});
	/** What the launcher compiled with: "any", "tui" or "no-cache" (its trace mark). */
	const compiledWith = async () => {
		const trace = join(cacheHome, 'trace');
		rmSync(trace, {force: true});
		await start({DOCKERCEPTION_TRACE: trace});
		return /^compiled \d+ (\S+)$/m.exec(readFileSync(trace, 'utf8'))?.[1];
	};

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

	it('a cache file or directory others could have written is not read', async () => {
		await start();
		expect(await compiledWith()).toBe('any');
		const [file] = readdirSync(cacheDir()).filter((name) => name.endsWith('.any'));
		chmodSync(join(cacheDir(), file!), 0o664);
		expect(await compiledWith()).toBe('no-cache');
		chmodSync(join(cacheDir(), file!), 0o600);
		expect(await compiledWith()).toBe('any');
		chmodSync(cacheDir(), 0o777);
		expect(await compiledWith()).toBe('no-cache');
		chmodSync(cacheDir(), 0o700);
		// A symbolic link is not followed, even to a file of ours.
		renameSync(join(cacheDir(), file!), join(cacheHome, 'elsewhere'));
		symlinkSync(join(cacheHome, 'elsewhere'), join(cacheDir(), file!));
		expect(await compiledWith()).toBe('no-cache');
	});

	it('starts without a home (a container run with --user and no HOME), with no cache', async () => {
		// An unknown user: no passwd entry, so no home directory at all.
		const {stdout} = await run(
			'setpriv',
			['--reuid=54321', '--regid=54321', '--clear-groups', 'env', '-u', 'HOME', '-u', 'XDG_CACHE_HOME', process.execPath, 'dist/bin/cli.js', '--version'],
			{
				timeout: 30_000,
			},
		);
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
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
