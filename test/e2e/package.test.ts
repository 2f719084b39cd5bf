import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';
import {e2eSkipped, labHost} from '../lab/lab.js';
import {TmuxSession} from '../lab/tmux.js';

const run = promisify(execFile);

/**
 * What a user gets from npm: the packed tarball, installed into an empty directory with an empty
 * npm cache and --omit=dev (no registry needed: it has no dependencies), then run from there.
 */
describe('the npm package', () => {
	const where = mkdtempSync(join(tmpdir(), 'dcpt-pack-'));
	const project = join(where, 'project');
	const env = {
		...process.env,
		npm_config_cache: join(where, 'cache'),
		npm_config_update_notifier: 'false',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
	};
	const bin = join(project, 'node_modules', '.bin', 'dockerception');
	let tarball = '';

	afterAll(() => rmSync(where, {recursive: true, force: true}));

	it('is the bundle alone: no dependencies, no install scripts, its licences, one package installed', async () => {
		await run('npm', ['pack', '--silent', '--pack-destination', where], {cwd: resolve('.')});
		tarball = readdirSync(where).find((file) => /^dockerception-.*\.tgz$/.test(file)) ?? '';
		expect(tarball).not.toBe('');
		const files = (await run('tar', ['-tzf', join(where, tarball)])).stdout.trim().split('\n');
		expect(files).toContain('package/dist/bin/cli.js');
		expect(files).toContain('package/dist/bin/THIRD-PARTY-NOTICES.txt');
		expect(files).toContain('package/LICENSE');
		expect(files.some((file) => file.startsWith('package/source/') || file.startsWith('package/test/'))).toBe(false);
		const manifest = JSON.parse((await run('tar', ['-xzOf', join(where, tarball), 'package/package.json'])).stdout) as {
			dependencies?: object;
			scripts?: Record<string, string>;
		};
		expect(manifest.dependencies ?? {}).toEqual({});
		for (const script of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script], script).toBeUndefined();

		mkdirSync(project);
		await run('npm', ['init', '-y'], {cwd: project, env});
		await run('npm', ['install', '--omit=dev', join(where, tarball)], {cwd: project, env, timeout: 120_000});
		const installed = (await run('npm', ['ls', '--all', '--omit=dev', '--parseable'], {cwd: project, env})).stdout
			.trim()
			.split('\n')
			.filter((line) => line.includes('node_modules'));
		expect(installed).toEqual([join(project, 'node_modules', 'dockerception')]);
	}, 300_000);

	it('--help, --version and npx work from there', async () => {
		const help = await run(bin, ['--help'], {env});
		expect(help.stdout).toContain('dockerception exec PATH -- CMD...');
		const {version} = JSON.parse(readFileSync('package.json', 'utf8')) as {version: string};
		expect((await run(bin, ['--version'], {env})).stdout.trim()).toBe(version);
		const npx = await run('npx', ['--yes', `./${tarball}`, '--version'], {cwd: where, env, timeout: 120_000});
		expect(npx.stdout.trim()).toBe(version);
	}, 300_000);

	it.skipIf(e2eSkipped)(
		'--json and the TUI work from there against the lab',
		async () => {
			const {stdout} = await run(bin, ['--json'], {env: {...env, DOCKER_HOST: labHost()}, timeout: 60_000});
			const root = (JSON.parse(stdout) as {roots: Array<{path: string; status: string}>}).roots[0];
			expect(root).toMatchObject({path: 'default', status: 'ready'});
			const session = new TmuxSession(bin, {env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}});
			try {
				await session.waitFor((screen) => /┌─ default ─ \d+ containers? /.test(screen) && screen.includes('? help'), 20_000, 'the first frame');
				session.keys('q');
				await session.waitFor((screen) => screen.includes('EXIT=0'), 10_000, 'the exit');
			} finally {
				session.kill();
			}
		},
		120_000,
	);
});
