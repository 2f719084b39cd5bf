import {describe, expect, it} from 'vitest';
import {MalformedAnswerError, swarmAnswers} from '../../source/daemon/answer-shapes.js';
import {containerKey, emptyTree, type ContainerNode, type DaemonFacts, type TreeState} from '../../source/store/model.js';
import {swarmNodeOf, swarmTag, swarmViews} from '../../source/store/swarm-view.js';
import {treeReducer} from '../../source/store/tree-reducer.js';

/** Swarm answers are read field by field, and joined to the tree by node and container IDs. */

// Swarm IDs are 25 lowercase letters and digits.
const id = (seed: string) => seed.padEnd(25, '0');
const [M, W, GONE, CLUSTER, SVC, T1, T2, T0] = ['m', 'w', 'gone', 'cluster', 'svc', 't1', 't2', 't0'].map(id) as [
	string,
	string,
	string,
	string,
	string,
	string,
	string,
	string,
];

const answers = {
	nodes: [
		{
			ID: M,
			Description: {Hostname: 'm'},
			Spec: {Role: 'manager', Availability: 'active'},
			Status: {State: 'ready', Addr: '10.0.0.2'},
			ManagerStatus: {Leader: true},
		},
		{ID: W, Description: {Hostname: 'w'}, Spec: {Role: 'worker', Availability: 'drain'}, Status: {State: 'ready', Addr: '10.0.0.3'}},
		{ID: GONE, Description: {Hostname: 'elsewhere'}, Spec: {Role: 'worker', Availability: 'active'}, Status: {State: 'down'}},
		'not a node',
	],
	services: [{ID: SVC, Spec: {Name: 'web', Mode: {Replicated: {Replicas: 2}}}}],
	tasks: [
		{
			ID: T1,
			ServiceID: SVC,
			Slot: 1,
			NodeID: W,
			DesiredState: 'running',
			Status: {State: 'running', ContainerStatus: {ContainerID: 'c'.repeat(64)}},
		},
		{ID: T2, ServiceID: SVC, Slot: 2, NodeID: GONE, DesiredState: 'running', Status: {State: 'pending'}},
		// History: a task that ended is not shown.
		{ID: T0, ServiceID: SVC, Slot: 1, NodeID: M, DesiredState: 'shutdown', Status: {State: 'failed'}},
	],
};

const facts = (nodeId: string, role: 'manager' | 'worker', clusterId?: string): DaemonFacts =>
	({id: nodeId.toUpperCase(), swarm: role, swarmNode: {nodeId, role, state: 'active', ...(clusterId ? {clusterId} : {})}}) as DaemonFacts;

function lab(): TreeState {
	let tree = emptyTree;
	for (const [path, nodeId, role, clusterId] of [
		['default/m', M, 'manager', CLUSTER],
		['default/w', W, 'worker', undefined],
	] as const) {
		tree = treeReducer(tree, {type: 'daemon/connecting', path, depth: 1, route: 'test'});
		tree = treeReducer(tree, {type: 'daemon/ready', path, facts: facts(nodeId, role, clusterId)});
	}
	const task = {key: containerKey('default/w', 'c'.repeat(64)), daemonPath: 'default/w', id: 'c'.repeat(64), name: 'web.1.t1', labels: {}} as ContainerNode;
	tree = treeReducer(tree, {type: 'daemon/containers', path: 'default/w', containers: [task]});
	return treeReducer(tree, {type: 'swarm/cluster', reportedBy: 'default/m', cluster: swarmAnswers(CLUSTER, 'default/m', answers)});
}

describe('swarm clusters', () => {
	it('join nodes to their daemons and tasks to their containers; a node not in the tree is named', () => {
		const [view] = swarmViews(lab());
		expect(view).toMatchObject({clusterId: CLUSTER, managers: ['default/m'], workers: ['default/w'], leader: 'default/m'});
		expect(view!.nodes.find((node) => node.nodeId === GONE)).toMatchObject({hostname: 'elsewhere', state: 'down'});
		expect(view!.nodes.find((node) => node.nodeId === GONE)?.path).toBeUndefined();
		expect(view!.services).toEqual([
			{
				name: 'web',
				mode: 'replicated',
				replicas: 2,
				running: 1,
				tasks: [
					{name: 'web.1', state: 'running', desiredState: 'running', nodeId: W, node: 'default/w', container: 'default/w/web.1.t1'},
					{name: 'web.2', state: 'pending', desiredState: 'running', nodeId: GONE},
				],
			},
		]);
	});

	it('give a worker its cluster from the manager that lists it, and tag rows', () => {
		const tree = lab();
		expect(swarmNodeOf(tree, 'default/w')).toEqual({clusterId: CLUSTER, nodeId: W, role: 'worker', state: 'active', leader: false});
		expect(swarmTag(tree, 'default/m')).toBe('swarm manager ★ cluster0');
		expect(swarmTag(tree, 'default/w')).toBe('swarm worker cluster0');
	});

	it('are forgotten when the manager that reported them is unreachable', () => {
		const tree = treeReducer(lab(), {type: 'daemon/unreachable', path: 'default/m', error: 'gone'});
		expect(swarmViews(tree)).toEqual([]);
		// The worker still knows it is in a swarm, not which cluster.
		expect(swarmNodeOf(tree, 'default/w')?.clusterId).toBeNull();
	});

	it('are not steered by a daemon nested deeper: it cannot replace a cluster or take a node', () => {
		let tree = lab();
		// A DinD inside the worker says it is the manager's node and reports the same cluster, with itself in it.
		tree = treeReducer(tree, {type: 'daemon/connecting', path: 'default/w/evil', depth: 2, route: 'test'});
		tree = treeReducer(tree, {type: 'daemon/ready', path: 'default/w/evil', facts: facts(M, 'manager', CLUSTER)});
		const forged = swarmAnswers(CLUSTER, 'default/w/evil', {nodes: [answers.nodes[0]], services: [], tasks: []});
		tree = treeReducer(tree, {type: 'swarm/cluster', reportedBy: 'default/w/evil', cluster: forged});
		const [view] = swarmViews(tree);
		// The outer manager's picture stands; the node ID both claim names neither.
		expect(view!.services.map((service) => service.name)).toEqual(['web']);
		expect(view!.managers).toEqual([]);
		expect(view!.workers).toEqual(['default/w']);
	});

	it('drop nodes, tasks and containers whose IDs are not swarm or container IDs', () => {
		const cluster = swarmAnswers(CLUSTER, 'default/m', {
			nodes: [...answers.nodes, {ID: '../../etc', Spec: {Role: 'manager'}}],
			services: answers.services,
			tasks: [{ID: id('t9'), ServiceID: SVC, NodeID: W, DesiredState: 'running', Status: {State: 'running', ContainerStatus: {ContainerID: 'default/x'}}}],
		});
		expect(cluster.nodes.map((node) => node.id)).toEqual([M, W, GONE]);
		expect(cluster.services[0]!.tasks[0]!.containerId).toBeUndefined();
	});

	it('refuse answers that are not lists', () => {
		expect(() => swarmAnswers(CLUSTER, 'default/m', {...answers, tasks: '<html>'})).toThrow(MalformedAnswerError);
		expect(() => swarmAnswers(CLUSTER, 'default/m', {...answers, nodes: {}})).toThrow(MalformedAnswerError);
	});
});
