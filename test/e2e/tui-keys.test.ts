import type {Readable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {startDindContainer} from '../../source/daemon/dind-container.js';
import {e2eSkipped, labClient, labHost, labLogTail, offlineImages, removeContainers, runBusybox, useReferenceTopology} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {labLabels} from '../lab/names.js';
import {glyphColumn, TmuxSession} from '../lab/tmux.js';

/**
 * The keys of the readme's key table that no other file drives in a real terminal: tab,
 * s / r / p, c, space + D, ctrl-r, and the ASCII glyphs of a terminal that is not UTF-8.
 */

const cli = 'dist/bin/cli.js';
const statusLine = (screen: string) =>
	screen
		.split('\n')
		.filter((line) => line.trim() !== '')
		.at(-1) ?? '';
/** The tree row of a container, by name ('' when not on screen). */
const rowOf = (screen: string, name: string) => screen.split('\n').find((line) => new RegExp(`[●○◐✕] ${name}\\b`).test(line)) ?? '';
/** The details panel's part of each line in the wide layout (App.tsx: a third of the columns, 36 to 60). */
const detailsOf = (screen: string, columns: number) => {
	const start = columns - Math.min(60, Math.max(36, Math.floor(columns * 0.34)));
	return screen.split('\n').map((line) => line.slice(start));
};

/**
 * Move the selection to `path`: filter by `name`, walk down to it, clear the filter. Each key
 * is sent once the one before it shows, so none is still on its way when the next one goes.
 */
async function select(ui: TmuxSession, name: string, path: string): Promise<void> {
	const selected = (screen: string) => statusLine(screen).split('  ')[0]!.trim();
	ui.keys('/');
	ui.type(name);
	ui.keys('Enter');
	await ui.waitFor((screen) => screen.includes(`filter "${name}"`) && !statusLine(screen).startsWith('/'), 10_000, `the filter ${name}`);
	const root = path.split('/')[0]!;
	ui.keys('g');
	await ui.waitFor((screen) => selected(screen) === root, 10_000, 'the first row selected');
	for (let step = 0; selected(ui.screen()) !== path; step++) {
		if (step > 10) throw new Error(`${path} not reached with the filter ${name}:\n${ui.screen()}`);
		const before = selected(ui.screen());
		ui.keys('Down');
		await ui.waitFor((screen) => selected(screen) !== before, 10_000, 'the next row selected');
	}
	ui.keys('Escape');
	await ui.waitFor((screen) => selected(screen) === path && !screen.includes('filter "'), 10_000, `${path} selected`);
}

/** Run a command in a container and wait for it to end; its exit code. */
async function runIn(client: DaemonClient, container: string, cmd: string[]): Promise<number> {
	const exec = await client.docker.getContainer(container).exec({Cmd: cmd, AttachStdout: false, AttachStderr: false});
	await exec.start({Detach: true});
	let code = -1;
	await eventually(
		async () => {
			const info = await exec.inspect();
			code = info.ExitCode ?? -1;
			return !info.Running;
		},
		30_000,
		`${cmd.join(' ')} in ${container} ended`,
	);
	return code;
}

/**
 * A DinD whose dockerd is not its main process (as under a supervisor): the daemon inside can
 * stop and start again while the container keeps running.
 */
async function startDindWithOwnDaemon(host: DaemonClient, name: string): Promise<void> {
	await removeContainers(host, [name]);
	await startDindContainer(host.docker, {
		image: offlineImages.dind,
		name,
		labels: labLabels,
		cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'],
	});
	await startInnerDockerd(host, name);
}

async function startInnerDockerd(host: DaemonClient, name: string): Promise<void> {
	const exec = await host.docker
		.getContainer(name)
		.exec({Cmd: ['sh', '-c', 'exec dockerd --host=unix:///var/run/docker.sock >>/var/log/dockerd.log 2>&1'], AttachStdout: false, AttachStderr: false});
	await exec.start({Detach: true});
}

async function stopInnerDockerd(host: DaemonClient, name: string): Promise<void> {
	expect(await runIn(host, name, ['sh', '-c', 'kill $(cat /var/run/docker.pid)'])).toBe(0);
	// Gone once the socket no longer answers.
	await eventually(async () => (await runIn(host, name, ['docker', 'version'])) !== 0, 30_000, `the daemon in ${name} stopped`);
}

describe.skipIf(e2eSkipped)('the keys on the lab tree', () => {
	const lab = useReferenceTopology();
	let ui: TmuxSession;

	beforeAll(async () => {
		ui = new TmuxSession(`node ${cli}`, {diagnostics: labLogTail, env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}, columns: 120, rows: 40});
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-c4') >= 0 && glyphColumn(screen, 'inner-a4') >= 0, 20_000, 'the lab tree');
	});

	afterAll(async () => {
		ui?.kill();
		if (lab.topology) await removeContainers(lab.topology.dindB.client, ['foreign-1']);
	});

	it('tab moves the keys to the details: up and down scroll them there, and the tree again after tab', async () => {
		ui.resize(120, 24);
		await select(ui, 'dind-b1', 'default/dind-b/dind-b1');
		const details = () => detailsOf(ui.screen(), 120);
		// The details of a DinD holding a daemon do not fit 24 rows: they say how to see the rest.
		await ui.waitFor((screen) => screen.includes('tab: scroll details') && detailsOf(screen, 120)[2]!.startsWith('│kind'), 5000, 'the details, from the top');
		const coloured = () => ui.colouredScreen().split('\n')[1] ?? '';
		const focusedTitle = (title: string) => new RegExp(`\\x1b\\[[0-9;]*36[0-9;]*m(?:\\x1b\\[[0-9;]*m)*┌─ ${title} `);
		expect(coloured()).toMatch(focusedTitle('default'));
		expect(coloured()).not.toMatch(focusedTitle('dind-b1'));

		ui.keys('Tab');
		await ui.waitFor((screen) => screen.includes('↑↓ scroll') && !screen.includes('tab: scroll details'), 5000, 'the details focused');
		expect(coloured()).toMatch(focusedTitle('dind-b1'));
		expect(coloured()).not.toMatch(focusedTitle('default'));
		ui.keys('Down');
		await ui.waitFor((screen) => !detailsOf(screen, 120)[2]!.startsWith('│kind'), 5000, 'the details scrolled by one');
		// The tree's selection stayed where it was.
		expect(statusLine(ui.screen())).toMatch(/^ default\/dind-b\/dind-b1 /);
		ui.keys('Down');
		ui.keys('Down');
		ui.keys('Down');
		await ui.waitFor((screen) => !detailsOf(screen, 120).some((line) => line.startsWith('│image')), 5000, 'the details scrolled further');
		expect(statusLine(ui.screen())).toMatch(/^ default\/dind-b\/dind-b1 /);
		for (let press = 0; press < 4; press++) ui.keys('Up');
		await ui.waitFor((screen) => detailsOf(screen, 120)[2]!.startsWith('│kind'), 5000, 'the details back at the top');
		expect(details().some((line) => line.startsWith('│image'))).toBe(true);

		ui.keys('Tab');
		await ui.waitFor((screen) => screen.includes('tab: scroll details'), 5000, 'the tree focused again');
		ui.keys('Down');
		await ui.waitFor((screen) => statusLine(screen).startsWith(' default/dind-b/dind-b1/inner-c1 '), 5000, 'down moving the selection');
		ui.keys('Up');
		await ui.waitFor((screen) => statusLine(screen).startsWith(' default/dind-b/dind-b1 '), 5000, 'up moving it back');

		// Below 100 columns there is room for one panel: tab shows the details instead of the tree.
		ui.resize(80, 24);
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-c1') >= 0 && !screen.includes('│kind'), 5000, 'the tree alone');
		ui.keys('Tab');
		await ui.waitFor(
			(screen) => screen.split('\n')[1]!.startsWith('┌─ dind-b1 ') && screen.includes('│kind') && glyphColumn(screen, 'inner-c1') < 0,
			5000,
			'the details alone',
		);
		ui.keys('Tab');
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-c1') >= 0 && !screen.includes('│kind'), 5000, 'the tree again');
		ui.resize(120, 40);
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-a4') >= 0 && /┐┌/.test(screen), 5000, 'the wide layout');
	});

	it('s stops and starts a container three levels down, on screen and on its daemon', async () => {
		const container = lab.topology.dindB1.client.docker.getContainer('inner-c2');
		await select(ui, 'inner-c2', 'default/dind-b/dind-b1/inner-c2');
		ui.keys('s');
		await ui.waitFor((screen) => /○ inner-c2 .*Exited/.test(rowOf(screen, 'inner-c2')), 20_000, 'inner-c2 stopped');
		await ui.waitFor((screen) => statusLine(screen).includes('default/dind-b/dind-b1/inner-c2 stopped'), 5000, 'the stopped message');
		expect((await container.inspect()).State.Running).toBe(false);
		ui.keys('s');
		await ui.waitFor((screen) => /● inner-c2 .*Up/.test(rowOf(screen, 'inner-c2')), 20_000, 'inner-c2 running again');
		await ui.waitFor((screen) => statusLine(screen).includes('default/dind-b/dind-b1/inner-c2 started'), 5000, 'the started message');
		expect((await container.inspect()).State.Running).toBe(true);
	});

	it('s asks before stopping a container dockerception did not make: n keeps it running, y stops it', async () => {
		const foreign = await lab.topology.dindB.client.docker.createContainer({
			Image: offlineImages.busybox,
			name: 'foreign-1',
			Cmd: ['sleep', '86400'],
			HostConfig: {Init: true},
		});
		await foreign.start();
		await ui.waitFor((screen) => glyphColumn(screen, 'foreign-1') >= 0, 10_000, 'foreign-1 in the tree');
		await select(ui, 'foreign-1', 'default/dind-b/foreign-1');
		ui.keys('s');
		await ui.waitFor(
			(screen) => screen.includes('Stop default/dind-b/foreign-1?') && screen.includes('was not created by dockerception'),
			5000,
			'the question',
		);
		ui.keys('n');
		await ui.waitFor((screen) => statusLine(screen).includes('kept it'), 5000, 'kept');
		expect((await foreign.inspect()).State.Running).toBe(true);
		expect(rowOf(ui.screen(), 'foreign-1')).toMatch(/● foreign-1 /);
		ui.keys('s');
		await ui.waitFor((screen) => screen.includes('Stop default/dind-b/foreign-1?'), 5000, 'the question again');
		ui.keys('y');
		await ui.waitFor((screen) => /○ foreign-1 .*Exited/.test(rowOf(screen, 'foreign-1')), 20_000, 'foreign-1 stopped');
		expect((await foreign.inspect()).State.Running).toBe(false);
	});

	it('p pauses and unpauses a container two levels down, on screen and on its daemon', async () => {
		const container = lab.topology.dindB.client.docker.getContainer('inner-b1');
		await select(ui, 'inner-b1', 'default/dind-b/inner-b1');
		ui.keys('p');
		await ui.waitFor((screen) => /◐ inner-b1 .*Paused/.test(rowOf(screen, 'inner-b1')), 20_000, 'inner-b1 paused');
		await ui.waitFor((screen) => statusLine(screen).includes('default/dind-b/inner-b1 paused'), 5000, 'the paused message');
		expect((await container.inspect()).State).toMatchObject({Running: true, Paused: true});
		ui.keys('p');
		await ui.waitFor((screen) => /● inner-b1 .*Up/.test(rowOf(screen, 'inner-b1')), 20_000, 'inner-b1 running again');
		await ui.waitFor((screen) => statusLine(screen).includes('default/dind-b/inner-b1 unpaused'), 5000, 'the unpaused message');
		expect((await container.inspect()).State.Paused).toBe(false);
	});

	it('r restarts a container three levels down: a new start on its daemon, running on screen', async () => {
		const container = lab.topology.dindB1.client.docker.getContainer('inner-c3');
		const before = (await container.inspect()).State.StartedAt;
		await select(ui, 'inner-c3', 'default/dind-b/dind-b1/inner-c3');
		ui.keys('r');
		await ui.waitFor((screen) => statusLine(screen).includes('default/dind-b/dind-b1/inner-c3 restarted'), 30_000, 'the restarted message');
		const after = (await container.inspect()).State;
		expect(after.Running).toBe(true);
		expect(Date.parse(after.StartedAt)).toBeGreaterThan(Date.parse(before));
		await ui.waitFor((screen) => /● inner-c3 .*Up/.test(rowOf(screen, 'inner-c3')), 10_000, 'inner-c3 running');
	});

	it('c starts a new container on the selected daemon from one of its images, with the command typed', async () => {
		await select(ui, 'dind-b1', 'default/dind-b/dind-b1');
		ui.keys('c');
		await ui.waitFor(
			(screen) => screen.includes('New container on default/dind-b/dind-b1: pick an image') && screen.includes('dockerception-lab/busybox:1'),
			10_000,
			'the image picker',
		);
		// dind-b1 holds only busybox: the picker lists its daemon's images, not the host's.
		expect(ui.screen()).not.toContain('dockerception-lab/dind:2');
		ui.type('sleep 4242');
		await ui.waitFor((screen) => screen.includes('sleep 4242'), 5000, 'the command typed');
		ui.keys('Enter');
		await ui.waitFor((screen) => /default\/dind-b\/dind-b1\/\S+ started/.test(statusLine(screen)), 30_000, 'the started message');
		const name = /default\/dind-b\/dind-b1\/(\S+) started/.exec(statusLine(ui.screen()))![1]!;
		try {
			const screen = ui.screen();
			// The new row is selected, one level under dind-b1 like its other containers.
			expect(statusLine(screen)).toMatch(new RegExp(`^ default/dind-b/dind-b1/${name} `));
			expect(glyphColumn(screen, name)).toBe(glyphColumn(screen, 'inner-c1'));
			const info = await lab.topology.dindB1.client.docker.getContainer(name).inspect();
			expect(info.Config.Image).toBe(offlineImages.busybox);
			expect(info.Config.Cmd).toEqual(['sh', '-c', 'sleep 4242']);
			expect(info.State.Running).toBe(true);
		} finally {
			await removeContainers(lab.topology.dindB1.client, [name]);
		}
	});

	it('space marks a daemon and D diffs the selected one against it (not its parent), both in the view', async () => {
		await select(ui, 'dind-a', 'default/dind-a');
		ui.keys('Space');
		await ui.waitFor(
			(screen) => statusLine(screen).includes('marked default/dind-a for diff (D)') && /● dind-a .*\[marked\]/.test(rowOf(screen, 'dind-a')),
			5000,
			'dind-a marked',
		);
		await select(ui, 'dind-b1', 'default/dind-b/dind-b1');
		// Still marked while another row is selected.
		expect(rowOf(ui.screen(), 'dind-a')).toContain('[marked]');
		ui.keys('D');
		// Against the marked daemon, not dind-b1's parent dind-b; the marked one first.
		await ui.waitFor((screen) => screen.includes('docker info: default/dind-a vs default/dind-b/dind-b1'), 20_000, 'the diff view');
		// Two engines alike: only volatile fields differ. `a` shows them, each daemon's value in its column.
		ui.keys('a');
		const [nameA, nameB] = await Promise.all([
			lab.host.docker.getContainer('dind-a').inspect(),
			lab.topology.dindB.client.docker.getContainer('dind-b1').inspect(),
		]).then((infos) => infos.map((info) => info.Config.Hostname));
		await ui.waitFor((screen) => /│ Name\s/.test(screen), 5000, 'every field');
		const lines = ui.screen().split('\n');
		expect(lines.find((line) => /│ field\s/.test(line))).toMatch(/│ field\s*│ default\/dind-a\s*│ default\/dind-b\/dind-b1\s*│/);
		expect(lines.find((line) => /│ Name\s/.test(line))).toMatch(new RegExp(`│ Name\\s*│ ${nameA}\\s*│ ${nameB}\\s*│`));
		ui.keys('Escape');
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-a1') >= 0, 5000, 'the tree after the diff');
		// Space on the marked daemon unmarks it.
		await select(ui, 'dind-a', 'default/dind-a');
		ui.keys('Space');
		await ui.waitFor(
			(screen) => statusLine(screen).includes('unmarked default/dind-a') && !rowOf(screen, 'dind-a').includes('[marked]'),
			5000,
			'dind-a unmarked',
		);
	});
});

describe.skipIf(e2eSkipped)('ctrl-r', () => {
	let host: DaemonClient;
	let ui: TmuxSession | undefined;
	let events: Readable | undefined;

	beforeAll(async () => {
		host = labClient();
		await startDindWithOwnDaemon(host, 'revive');
	});

	afterAll(async () => {
		ui?.kill();
		events?.destroy();
		if (host) await removeContainers(host, ['revive']);
		host?.close();
	});

	it('reconnects a daemon that is back at once, without waiting out the backoff', {timeout: 240_000}, async () => {
		const id = (await host.docker.getContainer('revive').inspect()).Id;
		// Exec tunnels only: each try to reach the daemon inside is an exec the lab daemon reports.
		ui = new TmuxSession(`node ${cli} --tunnel-only`, {diagnostics: labLogTail, env: {DOCKER_HOST: labHost(), LANG: 'C.UTF-8'}, columns: 120, rows: 40});
		const ready = (screen: string) => /● revive\s+DinD\s+20\.10\.24 · 0 ctrs/.test(rowOf(screen, 'revive'));
		await ui.waitFor(ready, 60_000, 'the daemon in revive ready');
		await select(ui, 'revive', 'default/revive');

		const tries: number[] = [];
		events = (await host.streams.getEvents({filters: {container: [id], event: ['exec_create']}})) as unknown as Readable;
		let pending = '';
		events.on('data', (chunk: Buffer) => {
			pending += chunk.toString();
			const lines = pending.split('\n');
			pending = lines.pop()!;
			for (const line of lines) {
				const event = JSON.parse(line) as {Action: string; timeNano: number};
				if (event.Action.includes('dial-stdio')) tries.push(event.timeNano / 1e6);
			}
		});

		await stopInnerDockerd(host, 'revive');
		await ui.waitFor((screen) => /✕ /.test(rowOf(screen, 'revive')), 30_000, 'the daemon in revive unreachable');
		// Tries come further and further apart. Once two are 15 s apart the next one is at least
		// 15 s after the last (30 s by the schedule): a ready row before that is ctrl-r's doing.
		const gap = () => (tries.length < 2 ? 0 : tries.at(-1)! - tries.at(-2)!);
		await eventually(() => gap() >= 15_000, 120_000, 'two tries 15 s apart');
		const lastTry = tries.at(-1)!;
		console.log(`[ctrl-r] ${tries.length} tries, the last two ${Math.round(gap())} ms apart`);

		await startInnerDockerd(host, 'revive');
		await eventually(async () => (await runIn(host, 'revive', ['docker', 'version'])) === 0, 30_000, 'the daemon in revive answering again');
		// It answers, and the tree does not know yet.
		expect(rowOf(ui.screen(), 'revive')).toMatch(/✕ /);
		ui.keys('C-r');
		await ui.waitFor(ready, 15_000, 'the daemon in revive ready after ctrl-r');
		const readyAt = Date.now();
		console.log(`[ctrl-r] ready ${readyAt - lastTry} ms after the last try by itself`);
		expect(readyAt - lastTry).toBeLessThan(15_000);
		await ui.waitFor((screen) => statusLine(screen).includes('default/revive refreshed'), 5000, 'the refreshed message');
	});
});

describe.skipIf(e2eSkipped)('a terminal that is not UTF-8', () => {
	let host: DaemonClient;
	let ui: TmuxSession | undefined;
	const names = ['ascii-up', 'ascii-exited', 'ascii-paused', 'ascii-dind'];

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, names);
		await runBusybox(host, 'ascii-up');
		await runBusybox(host, 'ascii-exited', {exited: true});
		await runBusybox(host, 'ascii-paused');
		await host.docker.getContainer('ascii-paused').pause();
		await startDindWithOwnDaemon(host, 'ascii-dind');
	});

	afterAll(async () => {
		ui?.kill();
		if (host) await removeContainers(host, names);
		host?.close();
	});

	it('LC_ALL=C draws the tree, its states and the borders in ASCII, and nothing else', async () => {
		ui = new TmuxSession(`env -u LANG -u LC_CTYPE LC_ALL=C node ${cli}`, {diagnostics: labLogTail, env: {DOCKER_HOST: labHost()}, columns: 120, rows: 40});
		const row = (screen: string, name: string) => screen.split('\n').find((line) => line.includes(` ${name} `)) ?? '';
		// Its daemon goes away once the tree has seen it (one that never answered is "connecting" for a while).
		await ui.waitFor((screen) => / 20\.10\.24 - 0 ctrs /.test(row(screen, 'ascii-dind')), 60_000, 'the daemon in ascii-dind ready');
		await stopInnerDockerd(host, 'ascii-dind');
		await ui.waitFor(
			(screen) => / x /.test(row(screen, 'ascii-dind')) && row(screen, 'ascii-paused').includes('Paused') && row(screen, 'ascii-exited').includes('Exited'),
			30_000,
			'every state on screen',
		);
		const screen = ui.screen();
		// Running, stopped, paused, a daemon that does not answer; the guides and the panels' borders.
		expect(row(screen, 'ascii-up')).toMatch(/^\|[|`]- +\* ascii-up /);
		expect(row(screen, 'ascii-exited')).toMatch(/[|`]- +o ascii-exited /);
		expect(row(screen, 'ascii-paused')).toMatch(/[|`]- +~ ascii-paused /);
		expect(row(screen, 'ascii-dind')).toMatch(/[|`]- [v>]\* ascii-dind +DinD +x /);
		expect(screen.split('\n')[1]).toMatch(/^\+- default .*\+\+- daemon default -+\+$/);
		expect(screen.split('\n')[37]).toMatch(/^\+-+\+\+-+\+$/);
		// Nothing that a terminal without UTF-8 would show as mojibake, on any screen: the details
		// of a DinD whose daemon is down, the help, a dialog.
		const nonAscii = (text: string) => [...new Set(text.match(/[^\x00-\x7f]/g) ?? [])].join(' ');
		expect(nonAscii(screen)).toBe('');
		await select(ui, 'ascii-dind', 'default/ascii-dind');
		await ui.waitFor((screen) => screen.includes('unreachable:'), 5000, 'the details of ascii-dind');
		expect(nonAscii(ui.screen())).toBe('');
		ui.keys('?');
		await ui.waitFor((screen) => screen.includes('reconnect the selected daemon'), 5000, 'the help');
		expect(nonAscii(ui.screen())).toBe('');
		// Esc and the next key in one read would be alt+key: the next key waits for the help to close.
		ui.keys('Escape');
		await ui.waitFor((screen) => !screen.includes('reconnect the selected daemon'), 5000, 'the help closed');
		await select(ui, 'ascii-up', 'default/ascii-up');
		ui.keys('d');
		await ui.waitFor((screen) => screen.includes('Remove default/ascii-up?'), 5000, 'the remove question');
		expect(nonAscii(ui.screen())).toBe('');
		ui.keys('n');
		await ui.waitFor((screen) => statusLine(screen).includes('kept it'), 5000, 'kept');
	});
});
