import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import type {ReferenceTopology} from '../lab/topology.js';
import {spawnSandbox} from '../../source/daemon/sandbox-containers.js';
import {
	buildReferenceTopology,
	e2eSkipped,
	labClient,
	labLogTail,
	labSocketPath,
	offlineImages,
	referenceNames,
	removeContainers,
	runBusybox,
	useReferenceTopology,
} from '../lab/lab.js';
import {eventually} from '../lab/live.js';
import {cliTerminal, runCli, spawnCli} from '../lab/seat.js';
import {glyphColumn, type TmuxSession} from '../lab/tmux.js';

const statusLine = (screen: string) =>
	screen
		.split('\n')
		.filter((line) => line.trim() !== '')
		.at(-1) ?? '';

describe.skipIf(e2eSkipped)('actions at any depth', () => {
	let host: DaemonClient;
	let topology: ReferenceTopology;
	let ui: TmuxSession;

	/** Select a row by a unique name: filter to it, jump to it, clear the filter. */
	async function select(name: string, path: string) {
		ui.keys('/');
		ui.type(name);
		ui.keys('Enter');
		await ui.waitFor((screen) => screen.includes(`filter "${name}"`), 3000, `the filter ${name}`);
		ui.keys('G');
		ui.keys('Escape');
		await ui.waitFor((screen) => statusLine(screen).startsWith(` ${path} `) && !screen.includes('filter "'), 3000, `${path} selected`);
	}

	/** A container in dind-b1 whose main process is a shell (started with -i), selected in the tree. */
	async function selectNewShell(name: string, options: {tty: boolean}) {
		const container = await topology.dindB1.client.docker.createContainer({Image: offlineImages.busybox, name, Cmd: ['sh'], Tty: options.tty, OpenStdin: true});
		await container.start();
		await ui.waitFor((screen) => glyphColumn(screen, name) >= 0, 5000, `${name} in the tree`);
		const path = `default/dind-b/dind-b1/${name}`;
		await select(name, path);
		return {container, path};
	}

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['sbx-1', 'sock-1', 'remade', 'ticker', 'unlabelled-1']);
		topology = await buildReferenceTopology(host);
		ui = cliTerminal('', {diagnostics: labLogTail, env: {LANG: 'C.UTF-8'}, columns: 120, rows: 40});
		await ui.waitFor((screen) => glyphColumn(screen, 'inner-c4') >= 0, 15_000, 'the lab tree');
	});

	afterAll(async () => {
		ui?.kill();
		topology?.close();
		if (host) await removeContainers(host, [...referenceNames.host, 'sbx-1', 'sock-1', 'remade', 'ticker']);
		host?.close();
	});

	it('spawns a DinD sandbox from the keys, copies an image into it, and spawns one inside it', async () => {
		ui.keys('g');
		ui.keys('n');
		await ui.waitFor((screen) => screen.includes('New sandbox on default'), 5000, 'the spawn dialog');
		ui.keys('C-u');
		ui.type('sbx-1');
		ui.keys('Enter');
		const first = await ui.waitFor(
			(screen) => /sbx-1\s+DinD\s+20\.10\.24 · 0 ctrs/.test(screen) && statusLine(screen).startsWith(' default/sbx-1 '),
			90_000,
			'sbx-1 ready and selected',
		);
		console.log(`[actions] sbx-1 ready on screen ${first} ms after enter`);
		const created = await host.docker.getContainer('sbx-1').inspect();
		expect(created.Config.Labels).toMatchObject({'io.dockerception.managed': 'true', 'io.dockerception.mode': 'dind'});

		// Offline, the new daemon has no image to run a DinD from: copy one in with i.
		ui.keys('i');
		const listed = (screen: string) => screen.includes('dockerception-lab/busybox:1') && screen.includes('dockerception-lab/dind:2');
		await ui.waitFor((screen) => screen.includes('Copy an image from default into default/sbx-1') && listed(screen), 5000, 'the image picker with both images');
		const items = ui.screen();
		const busyboxFirst = items.indexOf('dockerception-lab/busybox:1') < items.indexOf('dockerception-lab/dind:2');
		if (busyboxFirst) ui.keys('Down');
		ui.keys('Enter');
		const copied = await ui.waitFor((screen) => screen.includes('copied dockerception-lab/dind:2 into default/sbx-1'), 120_000, 'the copy result');
		console.log(`[actions] image copied into sbx-1 in ${copied} ms`);

		ui.keys('n');
		await ui.waitFor((screen) => screen.includes('New sandbox on default/sbx-1'), 5000, 'the spawn dialog inside sbx-1');
		ui.keys('C-u');
		ui.type('sbx-2');
		ui.keys('Enter');
		await ui.waitFor((screen) => statusLine(screen).startsWith(' default/sbx-1/sbx-2 '), 90_000, 'sbx-2 selected');
		const screen = ui.screen();
		expect(glyphColumn(screen, 'sbx-2')).toBe(glyphColumn(screen, 'sbx-1') + 3);
		expect(screen).toMatch(/sbx-2\s+DinD\s+20\.10\.24 · 0 ctrs/);
	});

	it('spawns a socket sandbox that shares its daemon', async () => {
		ui.keys('g');
		ui.keys('m');
		await ui.waitFor((screen) => statusLine(screen).includes('spawn mode: socket'), 5000, 'socket mode');
		ui.keys('n');
		await ui.waitFor((screen) => screen.includes('New sandbox on default'), 5000, 'the spawn dialog');
		ui.keys('C-u');
		ui.type('sock-1');
		ui.keys('Enter');
		await ui.waitFor((screen) => /sock-1\s+socket\s+⇢ shares default/.test(screen), 30_000, 'sock-1 sharing default');
		// The lab's daemon lists sysbox-runc (the stand-in), so the cycle goes through sysbox.
		ui.keys('g');
		ui.keys('m');
		await ui.waitFor((screen) => statusLine(screen).includes('spawn mode: sysbox'), 5000, 'sysbox mode');
		ui.keys('m');
		await ui.waitFor((screen) => statusLine(screen).includes('spawn mode: DinD'), 5000, 'back to DinD mode');
	});

	it('m on a sandbox it made recreates it in the next mode, with the same name and labels', async () => {
		await spawnSandbox(host, {mode: 'socket', name: 'remade', daemonSocket: labSocketPath(), labels: {'io.example.team': 'blue'}});
		await ui.waitFor((screen) => /remade\s+socket\s+⇢ shares default/.test(screen), 10_000, 'remade sharing default');
		await select('remade', 'default/remade');
		ui.keys('m');
		// socket → sysbox: the next mode this daemon offers (the lab's stand-in runtime).
		await ui.waitFor((screen) => screen.includes('Recreate default/remade as sysbox?'), 5000, 'the recreate question');
		ui.keys('y');
		await ui.waitFor((screen) => statusLine(screen).includes('default/remade is now sysbox'), 60_000, 'the recreated sandbox');
		await ui.waitFor((screen) => /remade\s+sysbox\s+20\.10\.24/.test(screen), 30_000, 'remade with a daemon of its own');
		const info = await host.docker.getContainer('remade').inspect();
		expect(info.Config.Labels).toMatchObject({'io.example.team': 'blue', 'io.dockerception.managed': 'true', 'io.dockerception.mode': 'sysbox'});
		expect(info.HostConfig.Runtime).toBe('sysbox-runc');
	});

	it('opens a shell three levels down, follows resizes, and comes back to the same row', async () => {
		await select('inner-c1', 'default/dind-b/dind-b1/inner-c1');
		const hostname = (await topology.dindB1.client.docker.getContainer('inner-c1').inspect()).Config.Hostname;
		ui.keys('e');
		await ui.waitFor((screen) => screen.includes('sh in default/dind-b/dind-b1/inner-c1'), 10_000, 'the shell banner');
		ui.type('hostname');
		ui.keys('Enter');
		await ui.waitFor((screen) => screen.split('\n').some((line) => line.trim() === hostname), 5000, `the hostname ${hostname}`);
		ui.resize(100, 30);
		// The resize reaches the container a moment after the terminal's: ask until it has.
		await eventually(
			async () => {
				ui.type('stty size');
				ui.keys('Enter');
				return ui
					.waitFor((screen) => screen.includes('30 100'), 1000, 'the new size inside the container')
					.then(
						() => true,
						() => false,
					);
			},
			10_000,
			'the new size inside the container',
		);
		ui.type('exit');
		ui.keys('Enter');
		await ui.waitFor(
			(screen) => statusLine(screen).startsWith(' default/dind-b/dind-b1/inner-c1 ') && glyphColumn(screen, 'inner-c1') >= 0,
			10_000,
			'the tree again',
		);
		// Detaching: newer engines leave the shell running, Docker 20.10 ends it; the status says which.
		ui.keys('e');
		await ui.waitFor((screen) => screen.includes('sh in default/dind-b/dind-b1/inner-c1'), 10_000, 'the shell banner again');
		ui.keys('C-p');
		ui.keys('C-q');
		await ui.waitFor(
			(screen) => /detached from default\/dind-b\/dind-b1\/inner-c1 \(it keeps running\)|detached: this engine ended \S*sh on detach/.test(statusLine(screen)),
			10_000,
			'what the detach did',
		);
		ui.resize(120, 40);
	});

	it('attaches to a main process three levels down: ctrl-p ctrl-q detaches and leaves it running, exit ends it', async () => {
		const {container, path} = await selectNewShell('attached', {tty: true});
		ui.keys('a');
		await ui.waitFor((screen) => screen.includes(`attached to ${path} (ctrl-p,ctrl-q detaches)`), 10_000, 'the attach banner');
		// The shell echoes what is typed; only its output has the computed number.
		ui.type('echo main-$((6*7))');
		ui.keys('Enter');
		await ui.waitFor((screen) => screen.includes('main-42'), 5000, 'the main process answering');
		ui.keys('C-p');
		ui.keys('C-q');
		await ui.waitFor((screen) => statusLine(screen).includes(`detached from ${path} (it keeps running)`), 10_000, 'the tree after detaching');
		expect((await container.inspect()).State.Running).toBe(true);

		ui.keys('a');
		await ui.waitFor((screen) => screen.includes(`attached to ${path}`), 10_000, 'the attach banner again');
		ui.type('exit 3');
		ui.keys('Enter');
		await ui.waitFor((screen) => statusLine(screen).includes(`${path} exited (exit 3)`), 10_000, 'the tree after the main process ended');
		expect((await container.inspect()).State).toMatchObject({Running: false, ExitCode: 3});

		// Started with -i but no TTY: it reads lines, and what is typed is echoed here.
		const {container: lines, path: linesPath} = await selectNewShell('attached-lines', {tty: false});
		ui.keys('a');
		await ui.waitFor((screen) => screen.includes(`attached to ${linesPath}`), 10_000, 'the attach banner (no TTY)');
		ui.type('echo lines-$((6*7))');
		ui.keys('Enter');
		await ui.waitFor((screen) => screen.includes('echo lines-$((6*7))') && screen.includes('lines-42\n'), 5000, 'the typed line and its answer');
		ui.keys('C-p');
		ui.keys('C-q');
		await ui.waitFor((screen) => statusLine(screen).includes(`detached from ${linesPath} (it keeps running)`), 5000, 'the tree after detaching');
		expect((await lines.inspect()).State.Running).toBe(true);
	});

	it('follows logs (a line a second shows up within a second), and attaches to the same output until the detach keys', async () => {
		await runBusybox(host, 'ticker', {cmd: ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo tick $i; echo oops $i >&2; sleep 1; done']});
		await ui.waitFor((screen) => glyphColumn(screen, 'ticker') >= 0, 5000, 'ticker in the tree');
		await select('ticker', 'default/ticker');
		ui.keys('l');
		await ui.waitFor((screen) => /tick \d+/.test(screen), 5000, 'the first ticks');
		const latest = (screen: string) => Math.max(...[...screen.matchAll(/tick (\d+)/g)].map((match) => Number(match[1])));
		const seen = latest(ui.screen());
		const took = await ui.waitFor((screen) => latest(screen) > seen, 2000, 'the next tick');
		console.log(`[actions] next log line on screen ${took} ms after the previous one was`);
		expect(took).toBeLessThanOrEqual(1100);
		expect(ui.screen()).toMatch(/oops \d+/);
		ui.keys('Escape');
		await ui.waitFor((screen) => glyphColumn(screen, 'ticker') >= 0, 3000, 'the tree after logs');

		// Attached to a process that takes no input, the detach keys still bring the tree back.
		ui.keys('a');
		await ui.waitFor((screen) => screen.includes('reads no input') && /tick \d+/.test(screen), 5000, 'the attached output');
		ui.keys('C-p');
		ui.keys('C-q');
		await ui.waitFor((screen) => statusLine(screen).includes('detached from default/ticker (it keeps running)'), 5000, 'the tree after detaching');
		expect((await host.docker.getContainer('ticker').inspect()).State.Running).toBe(true);
	});

	it('s stops a container three levels down and starts it again', async () => {
		const path = 'default/dind-b/dind-b1/inner-c3';
		const container = topology.dindB1.client.docker.getContainer('inner-c3');
		await select('inner-c3', path);
		ui.keys('s');
		await ui.waitFor((screen) => statusLine(screen).includes(`${path} stopped`) && /○ inner-c3\b/.test(screen), 20_000, 'inner-c3 stopped');
		expect((await container.inspect()).State.Running).toBe(false);
		ui.keys('s');
		await ui.waitFor((screen) => statusLine(screen).includes(`${path} started`) && /● inner-c3\b/.test(screen), 20_000, 'inner-c3 started');
		expect((await container.inspect()).State.Running).toBe(true);
	});

	it('asks before removing: n keeps the container, y removes it', async () => {
		await select('plain-2', 'default/plain-2');
		ui.keys('d');
		await ui.waitFor((screen) => screen.includes('Remove default/plain-2?') && screen.includes('[y/N]'), 5000, 'the confirmation');
		ui.keys('n');
		await ui.waitFor((screen) => statusLine(screen).includes('kept it'), 3000, 'kept');
		expect((await host.docker.getContainer('plain-2').inspect()).State.Running).toBe(true);
		ui.keys('d');
		await ui.waitFor((screen) => screen.includes('[y/N]'), 5000, 'the confirmation again');
		ui.keys('y');
		await ui.waitFor((screen) => glyphColumn(screen, 'plain-1') >= 0 && glyphColumn(screen, 'plain-2') < 0, 10_000, 'plain-2 gone from the tree');
		await expect(host.docker.getContainer('plain-2').inspect()).rejects.toMatchObject({statusCode: 404});
	});

	it('prune removes only labelled sandboxes, after listing them', async () => {
		ui.keys('q');
		await ui.waitFor((screen) => screen.includes('EXIT=0'), 5000, 'the TUI gone');
		const unlabelled = await host.docker.createContainer({Image: 'dockerception-lab/busybox:1', name: 'unlabelled-1', Cmd: ['sleep', '600']});
		await unlabelled.start();
		const {stdout} = await runCli(['prune', '--yes']);
		expect(stdout).toMatch(/default\/sbx-1\s+dind/);
		expect(stdout).toMatch(/default\/sbx-1\/sbx-2\s+dind\s+running \(goes with the sandbox it is in\)/);
		expect(stdout).toMatch(/removed default\/sbx-1/);
		expect(stdout).toMatch(/removed default\/sock-1/);
		const names = (await host.docker.listContainers({all: true})).map((c) => c.Names[0]);
		expect(names).not.toContain('/sbx-1');
		expect(names).not.toContain('/sock-1');
		// What the topology helper made is labelled too; a container without the label stays.
		expect(stdout).not.toContain('unlabelled-1');
		expect(names).toContain('/unlabelled-1');
		await removeContainers(host, ['unlabelled-1']);
	});
});

/** Run the CLI with text on its stdin (then EOF); bounded, so a lost EOF fails instead of hanging. */
function withInput(args: string[], input: string): Promise<{code: number | null; stdout: string}> {
	return new Promise((resolve, reject) => {
		const child = spawnCli(args, {stdio: ['pipe', 'pipe', 'inherit']});
		let stdout = '';
		child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill();
			reject(new Error(`no exit 10 s after stdin ended; output so far: ${JSON.stringify(stdout)}`));
		}, 10_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({code, stdout});
		});
		child.stdin!.end(input);
	});
}

describe.skipIf(e2eSkipped)('dockerception exec', () => {
	const lab = useReferenceTopology();

	for (const flags of [[], ['--tunnel-only']]) {
		it(`runs a command three levels down and returns its exit code${flags.length ? ' (exec tunnels)' : ''}`, async () => {
			const hostname = (await lab.topology.dindB1.client.docker.getContainer('inner-c2').inspect()).Config.Hostname;
			const {stdout} = await runCli(['exec', ...flags, 'default/dind-b/dind-b1/inner-c2', '--', 'hostname']);
			expect(stdout.trim()).toBe(hostname);
			const failed = await runCli(['exec', ...flags, 'default/dind-b/dind-b1/inner-c2', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']).then(
				() => ({code: 0, stdout: '', stderr: ''}),
				(error: {code: number; stdout: string; stderr: string}) => error,
			);
			expect(failed.code).toBe(7);
			expect(failed.stdout).toBe('out\n');
			expect(failed.stderr).toBe('err\n');
			// Piped stdin reaches the process three levels down, and so does its end.
			const piped = await withInput(['exec', '-i', ...flags, 'default/dind-b/dind-b1/inner-c2', '--', 'sh', '-c', 'wc -l; exit 4'], 'one\ntwo\nthree\n');
			expect(piped).toEqual({code: 4, stdout: '3\n'});
		});
	}

	it.each([
		['default/dind-b/nope/inner', /no container "nope" on default\/dind-b/],
		['default/plain-1/x', /default\/plain-1 is a plain container, not a daemon/],
		['nope', /"nope" names a daemon; a container path is needed|no container "nope"/],
	])('explains a bad path %s in one line', async (path, message) => {
		const result = await runCli(['exec', path, '--', 'true']).then(
			() => ({code: 0, stderr: ''}),
			(error: {code: number; stderr: string}) => error,
		);
		expect(result.code).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(message);
	});
});
