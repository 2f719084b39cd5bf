import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {Explorer} from '../../source/daemon/explorer.js';
import type {JsonDaemon, JsonSwarm} from '../../source/output/json-snapshot.js';
import {containersAt} from '../../source/store/selectors.js';
import {createTreeStore} from '../../source/store/store.js';
import {swarmViews} from '../../source/store/swarm-view.js';
import {e2eSkipped, labClient, labHost, offlineImages, removeContainers, startDind} from '../lab/lab.js';
import {until} from '../lab/live.js';
import {cliTerminal, runCli} from '../lab/seat.js';
import {glyphColumn} from '../lab/tmux.js';

/**
 * A swarm lab of three DinD nodes made by `spawn --mode swarm`, with a 3-replica service:
 * one cluster, one manager (the leader), two workers, each task's container found on the
 * node that runs it. The lab is made inside a DinD (`--on`): on the lab's own daemon, which
 * leaves the host's firewall alone (--iptables=false), containers cannot reach each other
 * when the host drops forwarded traffic, as a host running Docker does.
 */

const cli = (...args: string[]) => runCli(args, {timeout: 180_000});
const nodes = ['default/swarm-host/sw-1', 'default/swarm-host/sw-2', 'default/swarm-host/sw-3'];

describe.skipIf(e2eSkipped)('a swarm lab of DinD nodes', () => {
	let host: DaemonClient;

	beforeAll(async () => {
		host = labClient();
		await removeContainers(host, ['swarm-host']);
		const parent = await startDind(host, 'swarm-host', [offlineImages.busybox, offlineImages.dind]);
		parent.client.close();
	}, 240_000);

	afterAll(async () => {
		if (host) await removeContainers(host, ['swarm-host']);
		host?.close();
	});

	it('spawn --mode swarm makes a manager and two joined workers', async () => {
		const {stdout, stderr} = await cli(
			'spawn',
			'--mode',
			'swarm',
			'--nodes',
			'3',
			'--on',
			'default/swarm-host',
			'--name',
			'sw',
			'--copy',
			offlineImages.busybox,
		);
		expect(stdout.trim().split('\n')).toEqual(nodes);
		expect(stderr).toMatch(
			/^dockerception: swarm \w+ on default\/swarm-host: manager default\/swarm-host\/sw-1, workers default\/swarm-host\/sw-2, default\/swarm-host\/sw-3$/m,
		);
		// A service, made as a user would: the docker CLI in the manager, through exec. One task per
		// node at most: a worker not yet ready gets its task once it is, not the manager a second.
		await cli(
			'exec',
			nodes[0]!,
			'--',
			'docker',
			'service',
			'create',
			'--detach',
			'--no-resolve-image',
			'--name',
			'web',
			'--replicas',
			'3',
			'--replicas-max-per-node',
			'1',
			offlineImages.busybox,
			'sleep',
			'86400',
		);
	}, 240_000);

	it('shows one cluster with its nodes, and each task on its node', async () => {
		const store = createTreeStore();
		const explorer = new Explorer({
			endpoints: [{name: 'default', url: labHost(), source: 'lab', transport: {kind: 'unix', socketPath: labHost().replace(/^unix:\/\//, '')}}],
			timeoutMs: 5000,
			maxDepth: 4,
			dispatch: store.dispatch,
			containers: (path) => containersAt(store.getState(), path),
		});
		explorer.start();
		try {
			await until(
				store,
				(tree) => swarmViews(tree)[0]?.services[0]?.tasks.filter((task) => task.state === 'running' && task.container).length === 3,
				90_000,
				'three running tasks, each with its container',
			);
			const views = swarmViews(store.getState());
			expect(views).toHaveLength(1);
			const [view] = views;
			expect(view!.managers).toEqual([nodes[0]]);
			expect(view!.leader).toBe(nodes[0]);
			expect(view!.workers).toEqual([nodes[1], nodes[2]]);
			const [service] = view!.services;
			expect(service).toMatchObject({name: 'web', mode: 'replicated', replicas: 3, running: 3});
			// Spread over the three nodes (swarm's default spread), each container on its own node's daemon.
			expect(new Set(service!.tasks.map((task) => task.node))).toEqual(new Set(nodes));
			for (const task of service!.tasks) expect(task.container!.startsWith(`${task.node}/web.`)).toBe(true);
		} finally {
			explorer.stop();
		}
	}, 120_000);

	it('--json has swarmNode on each node and the cluster in swarms; tree prints it', async () => {
		const {stdout} = await cli('--json');
		const snapshot = JSON.parse(stdout) as {roots: JsonDaemon[]; swarms: JsonSwarm[]};
		expect(snapshot.swarms).toHaveLength(1);
		const [swarm] = snapshot.swarms;
		expect(swarm).toMatchObject({managers: [nodes[0]], workers: [nodes[1], nodes[2]], leader: nodes[0]});
		expect(swarm!.services[0]!.tasks.map((task) => task.node).sort()).toEqual(nodes);
		const parent = snapshot.roots[0]!.containers.find((container) => container.name === 'swarm-host')!.daemon!;
		expect(parent.swarmNode).toBeNull();
		for (const [index, name] of ['sw-1', 'sw-2', 'sw-3'].entries()) {
			const node = parent.containers.find((container) => container.name === name)!.daemon!;
			expect(node.swarmNode).toMatchObject({clusterId: swarm!.clusterId, role: index === 0 ? 'manager' : 'worker', state: 'active', leader: index === 0});
		}
		const text = (await cli('tree', '--no-color')).stdout;
		expect(text).toContain(`swarm ${swarm!.clusterId}  1 manager · 2 workers · 1 service`);
		expect(text).toMatch(/service web\s+replicated 3\/3/);
	}, 120_000);

	it('W in the TUI makes one too, after asking; :swarm N sets the number of nodes', async () => {
		const session = cliTerminal('', {env: {LANG: 'C.UTF-8'}, columns: 200, rows: 50});
		try {
			await session.waitFor((screen) => glyphColumn(screen, 'swarm-host') >= 0, 20_000, 'swarm-host');
			session.type('/swarm-host');
			session.keys('Enter');
			session.keys('G');
			await session.waitFor((screen) => /┌─ swarm-host ─/.test(screen), 5000, 'swarm-host selected');
			session.keys('W');
			await session.waitFor((screen) => screen.includes('Make a swarm lab of 3 DinD nodes on default/swarm-host?'), 5000, 'the question');
			session.keys('n');
			await session.waitFor((screen) => !screen.includes('Make a swarm lab'), 5000, 'the question gone');
			session.type(':swarm 2');
			session.keys('Enter');
			await session.waitFor((screen) => screen.includes('Make a swarm lab of 2 DinD nodes on default/swarm-host?'), 5000, 'the question for 2');
			session.keys('y');
			await session.waitFor(
				(screen) => /swarm \w+ on default\/swarm-host: manager default\/swarm-host\/swarm-\w+-1, worker default\/swarm-host\/swarm-\w+-2/.test(screen),
				120_000,
				'the lab made',
			);
			// Its nodes appear in the tree as one more cluster: a manager and a worker.
			session.keys('Escape');
			await session.waitFor(
				(screen) => /swarm-\w+-1 .*swarm manager ★ \w+/.test(screen) && /swarm-\w+-2 .*swarm worker \w+/.test(screen),
				30_000,
				'the nodes tagged',
			);
		} finally {
			session.kill();
		}
	}, 180_000);

	it('prune lists the nodes as one swarm and removes them with what they are in', async () => {
		const {stdout} = await cli('prune', '--yes');
		for (const node of nodes) expect(stdout).toMatch(new RegExp(`${node}\\s+dind \\(swarm sw\\)\\s+running \\(goes with the sandbox it is in\\)`));
		expect(stdout).toContain('removed default/swarm-host');
		await expect(host.docker.getContainer('swarm-host').inspect()).rejects.toMatchObject({statusCode: 404});
	}, 120_000);
});
