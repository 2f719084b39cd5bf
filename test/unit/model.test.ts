import {readFileSync} from 'node:fs';
import type Docker from 'dockerode';
import {describe, expect, it} from 'vitest';
import {classifyContainer} from '../../source/daemon/classify.js';
import {containerFromSummary, withInspect} from '../../source/daemon/container-facts.js';
import {snapshot} from '../../source/output/json-snapshot.js';
import type {ContainerNode, TreeState} from '../../source/store/model.js';
import {treeReducer} from '../../source/store/tree-reducer.js';

const lab = JSON.parse(readFileSync(new URL('../fixtures/lab-inspect.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
	list: Docker.ContainerInfo[];
};
const labTree = JSON.parse(readFileSync(new URL('../fixtures/lab-tree.json', import.meta.url), 'utf8')) as TreeState;

const fromLab = (name: string) => {
	const summary = lab.list.find((entry) => entry.Names[0] === `/${name}`)!;
	return withInspect(containerFromSummary('default', summary), lab[name] as Docker.ContainerInspectInfo);
};

describe('classification of real lab containers', () => {
	it('a container running dockerd is DinD, from its listing alone and after inspect', () => {
		const summary = lab.list.find((entry) => entry.Names[0] === '/dind-a')!;
		expect(containerFromSummary('default', summary).kind).toBe('dind');
		const full = fromLab('dind-a');
		expect(full.kind).toBe('dind');
		expect(full.signals).toContain('command runs dockerd');
		expect(full.signals).toContain('volume /var/lib/docker');
	});

	it('a container with the daemon socket mounted is a socket container even on a DinD image', () => {
		const dood = fromLab('dood');
		expect(dood.kind).toBe('socket');
		expect(dood.signals[0]).toMatch(/^socket .*docker\.sock → \/var\/run\/docker\.sock$/);
	});

	it('busybox containers are plain, running or exited', () => {
		expect(fromLab('plain-1')).toMatchObject({kind: 'plain', state: 'running'});
		expect(fromLab('plain-3')).toMatchObject({kind: 'plain', state: 'exited'});
	});
});

describe('classification signals of images not in the lab', () => {
	const base = {image: 'alpine', argv: ['sh'], mounts: [], ports: [], labels: {}};
	it('recognises the official docker:dind by its entrypoint and env', () => {
		const official = classifyContainer({...base, image: 'docker:27-dind', argv: ['dockerd-entrypoint.sh'], env: ['DIND_COMMIT=abc'], ports: [2375, 2376]});
		expect(official.kind).toBe('dind');
		expect(official.signals).toEqual(['entrypoint dockerd-entrypoint.sh', 'env DIND_COMMIT', 'image docker:27-dind', 'port 2375', 'port 2376']);
	});
	it('docker:dind running a shell with the host socket is a socket container', () => {
		const socket = classifyContainer({
			...base,
			image: 'docker:dind',
			argv: ['dockerd-entrypoint.sh', 'sh'],
			mounts: [{type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', rw: true}],
		});
		expect(socket.kind).toBe('socket');
	});
	it('sysbox is decided by the runtime', () => {
		expect(classifyContainer({...base, runtime: 'sysbox-runc', argv: ['dockerd']}).kind).toBe('sysbox');
	});
	it('a /var/lib/docker volume alone makes a DinD candidate (to be confirmed by reaching it)', () => {
		const lookalike = classifyContainer({...base, mounts: [{type: 'volume', source: 'x', destination: '/var/lib/docker', rw: true}]});
		expect(lookalike).toEqual({kind: 'dind', signals: ['volume /var/lib/docker']});
	});
	it('rootless sockets under /run/user/N count', () => {
		const rootless = classifyContainer({
			...base,
			mounts: [{type: 'bind', source: '/run/user/1000/docker.sock', destination: '/run/user/1000/docker.sock', rw: true}],
		});
		expect(rootless.kind).toBe('socket');
	});
});

describe('the tree reducer on the captured lab tree', () => {
	const dindB = Object.values(labTree.containers).find((c) => c.name === 'dind-b')!;
	const dindB1Path = 'default/dind-b/dind-b1';

	it('--json nests each inner daemon under its container, down to the third level', () => {
		const root = snapshot(labTree).roots[0]!;
		expect(root.containers.map((c) => c.name)).toEqual(['dind-a', 'dind-b', 'dood', 'plain-1', 'plain-2', 'plain-3']);
		const dindB1 = root.containers.find((c) => c.name === 'dind-b')?.daemon?.containers.find((c) => c.name === 'dind-b1');
		expect(dindB1?.kind).toBe('dind');
		expect(dindB1?.daemon?.path).toBe(dindB1Path);
		expect(dindB1?.daemon?.status).toBe('ready');
		expect(dindB1?.daemon?.containers.map((c) => c.name)).toEqual(['inner-c1', 'inner-c2', 'inner-c3', 'inner-c4']);
		// A socket container shares its parent's daemon: no daemon of its own under it.
		const dood = root.containers.find((c) => c.name === 'dood');
		expect(dood?.sharesDaemon).toBe('default');
		expect(dood?.daemon).toBeUndefined();
	});

	it('an unreachable daemon loses its containers and every daemon below it', () => {
		const next = treeReducer(labTree, {type: 'daemon/unreachable', path: 'default/dind-b', error: 'container paused'});
		expect(next.daemons['default/dind-b']).toMatchObject({status: 'unreachable', error: 'container paused', containers: []});
		expect(next.daemons[dindB1Path]).toBeUndefined();
		expect(Object.values(next.containers).some((c) => c.daemonPath.startsWith('default/dind-b'))).toBe(false);
		// Siblings are untouched.
		expect(next.daemons['default/dind-a']).toBe(labTree.daemons['default/dind-a']);
	});

	it('removing a DinD container removes its daemon subtree', () => {
		const next = treeReducer(labTree, {type: 'container/remove', key: dindB.key});
		expect(next.daemons['default/dind-b']).toBeUndefined();
		expect(next.daemons[dindB1Path]).toBeUndefined();
		expect(next.daemons.default!.containers).not.toContain(dindB.key);
	});

	it('an upsert keeps links that discovery made and keeps containers sorted by name', () => {
		const listed: ContainerNode = {...dindB, status: 'Up 1 hour'};
		delete (listed as Partial<ContainerNode>).innerDaemon;
		const next = treeReducer(labTree, {type: 'container/upsert', container: listed});
		expect(next.containers[dindB.key]!.innerDaemon).toBe('default/dind-b');
		const added = treeReducer(next, {
			type: 'container/upsert',
			container: {...listed, key: 'default#new', id: 'new', name: 'aaa-first', innerDaemon: undefined} as unknown as ContainerNode,
		});
		expect(added.daemons.default!.containers[0]).toBe('default#new');
	});

	it('an action that changes nothing returns the same state (no re-render)', () => {
		expect(treeReducer(labTree, {type: 'container/remove', key: 'default#missing'})).toBe(labTree);
	});
});
