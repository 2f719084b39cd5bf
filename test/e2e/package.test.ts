import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';

const run = promisify(execFile);

/** What a user gets from npm: the packed tarball, run with npx from an empty directory. */
describe('the npm package', () => {
	it('npx ./dockerception-x.y.z.tgz --help prints usage and --version the version', async () => {
		const where = mkdtempSync(join(tmpdir(), 'dcpt-pack-'));
		await run('npm', ['pack', '--silent', '--pack-destination', where], {cwd: resolve('.')});
		const tarball = readdirSync(where).find((file) => /^dockerception-.*\.tgz$/.test(file));
		expect(tarball).toBeDefined();
		const npx = (...args: string[]) => run('npx', ['--yes', `./${tarball}`, ...args], {cwd: where, env: {...process.env, npm_config_update_notifier: 'false'}});
		const help = await npx('--help');
		expect(help.stdout).toContain('Usage');
		expect(help.stdout).toContain('dockerception exec PATH -- CMD...');
		const {version} = (await import('../../package.json', {with: {type: 'json'}})).default as {version: string};
		const shown = await npx('--version');
		expect(shown.stdout.trim()).toBe(version);
		// Only what a user needs is in the package.
		const listing = await run('tar', ['-tzf', join(where, tarball!)]);
		const files = listing.stdout.trim().split('\n');
		expect(files).toContain('package/dist/bin/cli.js');
		expect(files.some((file) => file.startsWith('package/source/') || file.startsWith('package/test/'))).toBe(false);
	}, 300_000);
});
