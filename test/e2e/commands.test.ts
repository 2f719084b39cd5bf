import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {e2eSkipped, labClient, labLogTail, removeContainers, runBusybox} from '../lab/lab.js';
import {cliTerminal, seatTempDir} from '../lab/seat.js';
import {glyphColumn, type TmuxSession} from '../lab/tmux.js';

/** `:` commands and a user keymap, in a real terminal. */

function configHome(config: unknown): string {
	const home = seatTempDir('dcpt-config-');
	mkdirSync(join(home, 'dockerception'));
	writeFileSync(join(home, 'dockerception', 'config.json'), JSON.stringify(config));
	return home;
}

describe.skipIf(e2eSkipped)(': commands and the user keymap', () => {
	let host: DaemonClient;
	let session: TmuxSession;
	const homes: string[] = [];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['cmd-target']);
		await runBusybox(host, 'cmd-target', {cmd: ['sh', '-c', 'echo hello-from-cmd-target; exec sleep 600']});
		const home = configHome({keys: {logs: 'L'}});
		homes.push(home);
		session = cliTerminal('', {
			diagnostics: labLogTail,
			env: {LANG: 'C.UTF-8', XDG_CONFIG_HOME: home},
			columns: 220,
			rows: 40,
		});
		await session.waitFor((screen) => glyphColumn(screen, 'cmd-target') >= 0, 15_000, 'cmd-target');
		session.type('/cmd-target');
		session.keys('Enter');
		session.keys('G');
		await session.waitFor((screen) => /┌─ cmd-target ─/.test(screen), 5000, 'cmd-target selected');
	});

	afterAll(async () => {
		session?.kill();
		if (host) await removeContainers(host, ['cmd-target']);
		host?.close();
		for (const home of homes) rmSync(home, {recursive: true, force: true});
	});

	it('a remapped key runs its command; the old key does nothing; help and hints show the new key', async () => {
		await session.waitFor((screen) => screen.includes('L logs'), 3000, 'the hint with the new key');
		session.keys('l');
		session.keys('?');
		await session.waitFor((screen) => /L\s+follow logs/.test(screen), 3000, 'help listing L for logs');
		expect(session.screen()).not.toContain('hello-from-cmd-target');
		session.keys('Escape');
		// Esc and L in one read would be Alt+L, not L: the help closes first.
		await session.waitFor((screen) => !/L\s+follow logs/.test(screen), 3000, 'the help closed');
		session.keys('L');
		await session.waitFor((screen) => screen.includes('logs default/cmd-target') && screen.includes('hello-from-cmd-target'), 5000, 'the logs view from L');
		session.keys('Escape');
		await session.waitFor((screen) => /┌─ cmd-target ─/.test(screen), 3000, 'back to the tree');
	});

	it(': completes as you type, with the key of each command, and runs it', async () => {
		session.type(':lo');
		await session.waitFor((screen) => /:lo .*logs \(L\) follow logs/.test(screen), 3000, 'the completion with its key');
		session.keys('Tab');
		await session.waitFor((screen) => /:logs /.test(screen), 3000, 'completed to :logs');
		session.keys('Enter');
		await session.waitFor((screen) => screen.includes('logs default/cmd-target') && screen.includes('hello-from-cmd-target'), 5000, 'the logs view from :logs');
		// Esc and : in one read (Alt+: in most terminals) are the escape alone: the view closes,
		// the : does nothing.
		session.keys('Escape', ':');
		await session.waitFor((screen) => /┌─ cmd-target ─/.test(screen), 3000, 'back to the tree');
		expect(session.screen()).not.toMatch(/^ ?:/m);
		session.type(':nothing-like-this');
		session.keys('Enter');
		await session.waitFor((screen) => screen.includes('unknown command: nothing-like-this'), 3000, 'the unknown command said');
	});

	it('a keymap with a key bound twice is one line and exit 2', async () => {
		const home = configHome({keys: {logs: 'd'}});
		homes.push(home);
		const bad = cliTerminal('', {env: {LANG: 'C.UTF-8', XDG_CONFIG_HOME: home}});
		try {
			await bad.waitFor((screen) => screen.includes('EXIT='), 15_000, 'the exit');
			const screen = bad.screen();
			expect(screen).toContain('EXIT=2');
			const lines = screen.split('\n').filter((line) => line.startsWith('dockerception:'));
			expect(lines).toEqual([`dockerception: ${join(home, 'dockerception', 'config.json')}: keys: "d" is bound to both logs and remove`]);
			expect(bad.display('#{alternate_on}')).toBe('0');
		} finally {
			bad.kill();
		}
	});
});
