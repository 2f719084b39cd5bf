import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {systemDiskUsage} from '../../source/daemon/answer-shapes.js';
import {formatBytes} from '../../source/output/bytes.js';
import {containerKey, emptyTree, type ContainerNode, type DaemonFacts, type TreeState} from '../../source/store/model.js';
import {duplicatedBytes, healthMark, healthOf} from '../../source/store/health.js';
import {treeReducer} from '../../source/store/tree-reducer.js';

/** The health checks read the model alone: each one's condition, and the healthy case. */

const facts = (extra: Partial<DaemonFacts> = {}) =>
	({id: 'X', storageDriver: 'overlay2', networks: [{name: 'bridge', mtu: 1500, subnets: ['172.17.0.0/16']}], ...extra}) as DaemonFacts;

function dind(name: string, options: {dataRoot?: {type: string; source: string}; networks?: string[]} = {}): ContainerNode {
	const id = name.padEnd(64, '0');
	return {
		key: containerKey('default', id),
		daemonPath: 'default',
		id,
		name,
		kind: 'dind',
		state: 'running',
		mounts: options.dataRoot ? [{...options.dataRoot, destination: '/var/lib/docker', rw: true}] : [],
		networks: (options.networks ?? ['bridge']).map((network) => ({name: network, aliases: [], ip: ''})),
		labels: {},
	} as unknown as ContainerNode;
}

function tree(
	containers: ContainerNode[],
	inner: Record<string, Partial<DaemonFacts>>,
	hostNetworks = [{name: 'bridge', mtu: 1500, subnets: ['172.30.1.0/24']}],
): TreeState {
	let state = treeReducer(emptyTree, {type: 'daemon/connecting', path: 'default', depth: 0, route: 'test'});
	state = treeReducer(state, {type: 'daemon/ready', path: 'default', facts: facts({networks: hostNetworks})});
	state = treeReducer(state, {type: 'daemon/containers', path: 'default', containers});
	for (const container of containers) {
		const path = `default/${container.name}`;
		state = treeReducer(state, {type: 'daemon/connecting', path, depth: 1, route: 'test', parentContainer: container.key});
		if (inner[container.name]) state = treeReducer(state, {type: 'daemon/ready', path, facts: facts(inner[container.name])});
	}
	return state;
}

const codes = (state: TreeState, path: string) => healthOf(state, path).map((finding) => finding.code);

describe('health', () => {
	it('a DinD on its own volume, with matching MTU and subnets, is healthy', () => {
		const state = tree([dind('ok', {dataRoot: {type: 'volume', source: 'v1'}})], {ok: {}});
		expect(healthOf(state, 'default/ok')).toEqual([]);
		expect(healthMark([])).toBeUndefined();
	});

	it('finds vfs, a data root in the layer, the MTU trap and an overlapping inner subnet', () => {
		const state = tree([dind('bad', {networks: ['small']})], {bad: {storageDriver: 'vfs', networks: [{name: 'bridge', mtu: 1500, subnets: ['10.9.0.0/16']}]}}, [
			{name: 'small', mtu: 1400, subnets: ['10.9.8.0/24']},
		]);
		expect(codes(state, 'default/bad')).toEqual(['data-root-not-a-volume', 'storage-vfs', 'mtu', 'subnet-overlap']);
		expect(healthOf(state, 'default/bad').find((finding) => finding.code === 'mtu')?.fix).toContain('--mtu 1400');
		expect(healthMark(healthOf(state, 'default/bad'))).toEqual({text: '⚠ 4', severity: 'warning'});
	});

	it('a tmpfs or a stopped sibling on the same volume is no sharing', () => {
		const tmpfs = {type: 'tmpfs', source: ''};
		expect(codes(tree([dind('t1', {dataRoot: tmpfs}), dind('t2', {dataRoot: tmpfs})], {t1: {}, t2: {}}), 'default/t1')).toEqual([]);
		const cache = {type: 'volume', source: 'cache'};
		const stopped = {...dind('old', {dataRoot: cache}), state: 'exited'} as ContainerNode;
		expect(codes(tree([dind('new', {dataRoot: cache}), stopped], {new: {}}), 'default/new')).toEqual([]);
	});

	it('a data root shared by two DinD containers is an error on both, answering or not', () => {
		const bind = {type: 'bind', source: '/srv/docker'};
		const state = tree([dind('one', {dataRoot: bind}), dind('two', {dataRoot: bind})], {one: {}});
		expect(codes(state, 'default/one')).toEqual(['shared-data-root']);
		// Its daemon never answered (the first holds the data root's locks): said all the same.
		expect(codes(state, 'default/two')).toEqual(['shared-data-root']);
		expect(healthMark(healthOf(state, 'default/two'))?.severity).toBe('error');
	});

	it("notes a cgroup driver other than the parent's, sockets and privileged children, and the 20.10 plain-tcp delay", () => {
		const service = {
			...dind('svc', {dataRoot: {type: 'volume', source: 'v2'}}),
			command: 'dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375',
		};
		const socket = {...dind('sock'), kind: 'socket', privileged: true} as ContainerNode;
		let state = tree([service], {svc: {cgroupDriver: 'cgroupfs', cgroupVersion: '2', serverVersion: '20.10.24+dfsg1'}});
		state = treeReducer(state, {type: 'daemon/ready', path: 'default', facts: facts({cgroupDriver: 'cgroupfs', cgroupVersion: '1', networks: []})});
		state = treeReducer(state, {
			type: 'daemon/containers',
			path: 'default/svc',
			containers: [{...socket, daemonPath: 'default/svc', key: containerKey('default/svc', socket.id)}],
		});
		expect(codes(state, 'default/svc')).toEqual(['cgroup-mismatch', 'socket-mounted', 'privileged-children', 'plain-tcp-start-delay']);
		// Notes are not marked on the row; the mismatch is.
		expect(healthMark(healthOf(state, 'default/svc'))).toEqual({text: '⚠ 1', severity: 'warning'});
	});

	it("warns of cgroup v2 in the host's cgroup namespace, and not of a private one", () => {
		const inHost = {...dind('hostns', {dataRoot: {type: 'volume', source: 'v3'}}), cgroupns: 'host'} as ContainerNode;
		const own = {...dind('ownns', {dataRoot: {type: 'volume', source: 'v4'}}), cgroupns: 'private'} as ContainerNode;
		let state = tree([inHost, own], {hostns: {cgroupVersion: '2'}, ownns: {cgroupVersion: '2'}});
		state = treeReducer(state, {type: 'daemon/ready', path: 'default', facts: facts({cgroupVersion: '2', networks: []})});
		expect(codes(state, 'default/hostns')).toEqual(['cgroup-host-namespace']);
		expect(healthOf(state, 'default/hostns')[0]?.fix).toContain('--cgroupns=private');
		expect(codes(state, 'default/ownns')).toEqual([]);
	});

	it('notes disk use, and the images two daemons both store with the bytes kept twice', () => {
		// /system/df of the real lab (test/fixtures/capture-lab.mjs): busybox is in both daemons.
		const df = JSON.parse(readFileSync(new URL('../fixtures/lab-df.json', import.meta.url), 'utf8'));
		const host = systemDiskUsage(df.host);
		const inner = systemDiskUsage(df['dind-a']);
		const busybox = inner.images.find((image) => image.tag === 'dockerception-lab/busybox:1')!;
		expect(host.images.map((image) => image.id)).toContain(busybox.id);
		let state = tree([dind('dind-a', {dataRoot: {type: 'volume', source: 'v5'}})], {'dind-a': {id: 'INNER', storage: inner}});
		state = treeReducer(state, {type: 'daemon/ready', path: 'default', facts: facts({id: 'HOST', storage: host, networks: []})});
		const findings = healthOf(state, 'default/dind-a');
		expect(findings.map((finding) => finding.code)).toEqual(['disk-usage', 'duplicate-images']);
		expect(findings[0]!.message).toMatch(/^keeps .+: images .+, containers .+, volumes .+, build cache .+$/);
		const shared = inner.images.filter((image) => host.images.some((other) => other.id === image.id));
		const bytes = shared.reduce((sum, image) => sum + image.size, 0);
		expect(findings[1]!.message).toBe(
			`${shared.length} image${shared.length === 1 ? '' : 's'} (${formatBytes(bytes)}) also stored in default: ${shared.map((image) => image.tag).join(', ')}`,
		);
		expect(duplicatedBytes(state)).toBe(bytes);
		// Notes only: nothing on the row.
		expect(healthMark(findings)).toBeUndefined();
		// One daemon reached twice (a second context for it) stores nothing twice.
		state = treeReducer(state, {type: 'daemon/ready', path: 'default/dind-a', facts: facts({id: 'HOST', storage: host, networks: []})});
		expect(codes(state, 'default/dind-a')).toEqual(['disk-usage']);
	});

	it('reads a disk-usage answer defensively: wrong types count nothing, sizes past 1 PiB count 1 PiB, odd image IDs are left out', () => {
		expect(
			systemDiskUsage({
				LayersSize: 'lots',
				Containers: [{SizeRw: 10}, {SizeRw: -5}, 'x', {SizeRw: 1e300}],
				Volumes: [{UsageData: {Size: 7}}, {UsageData: {Size: -1}}],
				BuildCache: [{Size: 3}, {Size: 100, Shared: true}],
				Images: [
					{Id: `sha256:${'a'.repeat(64)}`, Size: 5, RepoTags: ['a:1']},
					{Id: '../../etc', Size: 9},
				],
			}),
		).toEqual({layers: 0, containers: 10 + 2 ** 50, volumes: 7, buildCache: 3, images: [{id: `sha256:${'a'.repeat(64)}`, size: 5, tag: 'a:1'}]});
		expect(() => systemDiskUsage('not json')).toThrow(/not JSON/);
	});
});
