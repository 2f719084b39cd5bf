import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {e2eSkipped, labHost} from '../lab/lab.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';

/**
 * `--sandbox --demo` as readme.md tells a new user to run it (npm start -- --sandbox --demo),
 * in a real terminal. Its state goes next to the lab's, so a later run reuses the images.
 */
function stateHome(): string {
	const lab = /^unix:\/\/(.*)\/dockerception\/lab\/docker\.sock$/.exec(labHost());
	return lab ? join(lab[1]!, 'sandbox-test') : join(tmpdir(), 'dockerception-sandbox-test');
}
const pidFile = () => join(stateHome(), 'dockerception', 'sandbox', 'docker.pid');

function dockerdAlive(): boolean {
	if (!existsSync(pidFile())) return false;
	try {
		process.kill(Number(readFileSync(pidFile(), 'utf8')), 0);
		return true;
	} catch {
		return false;
	}
}

describe.skipIf(e2eSkipped)('the sandbox on a machine without a Docker daemon of its own', () => {
	let session: TmuxSession | undefined;

	afterAll(() => {
		session?.kill();
		// A failed run must not leave the sandbox daemon behind.
		if (dockerdAlive()) process.kill(Number(readFileSync(pidFile(), 'utf8')), 'SIGTERM');
	});

	for (const run of ['first', 'second']) {
		it(`npm start -- --sandbox --demo shows the nested demo, and q stops the daemon (${run} start)`, async () => {
			const started = Date.now();
			session = new TmuxSession('npm start --silent -- --sandbox --demo', {
				env: {XDG_STATE_HOME: stateHome(), LANG: 'C.UTF-8', DOCKER_HOST: 'unix:///nonexistent/docker.sock'},
				columns: 120,
				rows: 40,
			});
			const took = await session.waitFor((screen) => glyphColumn(screen, 'demo-app-2') >= 0, 600_000, 'the demo tree');
			console.log(`[sandbox] ${run} start: demo tree on screen ${((Date.now() - started) / 1000).toFixed(1)} s after npm start (${took} ms of waiting)`);
			const screen = session.screen();
			// Three levels: sandbox -> demo-outer -> demo-inner -> demo-app-*.
			expect(glyphColumn(screen, 'demo-inner')).toBe(glyphColumn(screen, 'demo-outer') + 3);
			expect(glyphColumn(screen, 'demo-app-1')).toBe(glyphColumn(screen, 'demo-inner') + 3);
			expect(screen).toMatch(/demo-socket\s+socket\s+⇢ shares sandbox/);
			expect(dockerdAlive()).toBe(true);

			session.keys('q');
			await session.waitFor((text) => text.includes('EXIT=0'), 60_000, 'the exit');
			expect(session.display('#{alternate_on}')).toBe('0');
			expect(session.display('#{cursor_flag}')).toBe('1');
			expect(session.screen()).toMatch(/sandbox (started|reused) at unix:\/\/\S+ in [\d.]+ s/);
			expect(dockerdAlive()).toBe(false);
			console.log(`[sandbox] ${run} start: ${/sandbox (?:started|reused) at \S+ in ([\d.]+ s)/.exec(session.screen())?.[1]} to prepare`);
			session.kill();
			session = undefined;
		}, 900_000);
	}

	it('says what to run when it cannot work here', () => {
		const result = (() => {
			try {
				execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', 'dist/bin/cli.js', '--sandbox', '--json'], {
					encoding: 'utf8',
					env: {...process.env, HOME: '/tmp'},
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				return {status: 0, stderr: ''};
			} catch (error) {
				return error as {status: number; stderr: string};
			}
		})();
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/needs root: run dockerception --sandbox with sudo/);
	});
});
