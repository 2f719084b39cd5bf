import {describe, expect, it} from 'vitest';
import {MalformedAnswerError, swarmAnswers} from '../../source/daemon/answer-shapes.js';
import {containerKey, emptyTree, type ContainerNode, type DaemonFacts, type TreeState} from '../../source/store/model.js';
import {swarmNodeOf, swarmTag, swarmViews} from '../../source/store/swarm-view.js';
import {treeReducer} from '../../source/store/tree-reducer.js';

/** Swarm answers are read field by field, and joined to the tree by node and container IDs. */

const answers = {
	nodes: [
		{
			ID: 'node-m',
			Description: {Hostname: 'm'},
			Spec: {Role: 'manager', Availability: 'active'},
			Status: {State: 'ready', Addr: '10.0.0.2'},
			ManagerStatus: {Leader: true},
		},
		{ID: 'node-w', Description: {Hostname: 'w'}, Spec: {Role: 'worker', Availability: 'drain'}, Status: {State: 'ready', Addr: '10.0.0.3'}},
		{ID: 'node-gone', Description: {Hostname: 'elsewhere'}, Spec: {Role: 'worker', Availability: 'active'}, Status: {State: 'down'}},
		'not a node',
	],
	services: [{ID: 'svc', Spec: {Name: 'web', Mode: {Replicated: {Replicas: 2}}}}],
	tasks: [
		{
			ID: 't1',
			ServiceID: 'svc',
			Slot: 1,
			NodeID: 'node-w',
			DesiredState: 'running',
			Status: {State: 'running', ContainerStatus: {ContainerID: 'c'.repeat(64)}},
		},
		{ID: 't2', ServiceID: 'svc', Slot: 2, NodeID: 'node-gone', DesiredState: 'running', Status: {State: 'pending'}},
		// History: a task that ended is not shown.
		{ID: 't0', ServiceID: 'svc', Slot: 1, NodeID: 'node-m', DesiredState: 'shutdown', Status: {State: 'failed'}},
	],
};

const facts = (nodeId: string, role: 'manager' | 'worker', clusterId?: string): DaemonFacts =>
	({id: nodeId.toUpperCase(), swarm: role, swarmNode: {nodeId, role, state: 'active', ...(clusterId ? {clusterId} : {})}}) as DaemonFacts;

function lab(): TreeState {
	let tree = emptyTree;
	for (const [path, nodeId, role, clusterId] of [
		['default/m', 'node-m', 'manager', 'cluster-1'],
		['default/w', 'node-w', 'worker', undefined],
	] as const) {
		tree = treeReducer(tree, {type: 'daemon/connecting', path, depth: 1, route: 'test'});
		tree = treeReducer(tree, {type: 'daemon/ready', path, facts: facts(nodeId, role, clusterId)});
	}
	const task = {key: containerKey('default/w', 'c'.repeat(64)), daemonPath: 'default/w', id: 'c'.repeat(64), name: 'web.1.t1', labels: {}} as ContainerNode;
	tree = treeReducer(tree, {type: 'daemon/containers', path: 'default/w', containers: [task]});
	return treeReducer(tree, {type: 'swarm/cluster', reportedBy: 'default/m', cluster: swarmAnswers('cluster-1', 'default/m', answers)});
}

describe('swarm clusters', () => {
	it('join nodes to their daemons and tasks to their containers; a node not in the tree is named', () => {
		const [view] = swarmViews(lab());
		expect(view).toMatchObject({clusterId: 'cluster-1', managers: ['default/m'], workers: ['default/w'], leader: 'default/m'});
		expect(view!.nodes.find((node) => node.nodeId === 'node-gone')).toMatchObject({hostname: 'elsewhere', state: 'down'});
		expect(view!.nodes.find((node) => node.nodeId === 'node-gone')?.path).toBeUndefined();
		expect(view!.services).toEqual([
			{
				name: 'web',
				mode: 'replicated',
				replicas: 2,
				running: 1,
				tasks: [
					{name: 'web.1', state: 'running', desiredState: 'running', nodeId: 'node-w', node: 'default/w', container: 'default/w/web.1.t1'},
					{name: 'web.2', state: 'pending', desiredState: 'running', nodeId: 'node-gone'},
				],
			},
		]);
	});

	it('give a worker its cluster from the manager that lists it, and tag rows', () => {
		const tree = lab();
		expect(swarmNodeOf(tree, 'default/w')).toEqual({clusterId: 'cluster-1', nodeId: 'node-w', role: 'worker', state: 'active', leader: false});
		expect(swarmTag(tree, 'default/m')).toBe('swarm manager ★ cluster-');
		expect(swarmTag(tree, 'default/w')).toBe('swarm worker cluster-');
	});

	it('are forgotten when the manager that reported them is unreachable', () => {
		const tree = treeReducer(lab(), {type: 'daemon/unreachable', path: 'default/m', error: 'gone'});
		expect(swarmViews(tree)).toEqual([]);
		// The worker still knows it is in a swarm, not which cluster.
		expect(swarmNodeOf(tree, 'default/w')?.clusterId).toBeNull();
	});

	it('refuse answers that are not lists', () => {
		expect(() => swarmAnswers('x', 'default/m', {...answers, tasks: '<html>'})).toThrow(MalformedAnswerError);
		expect(() => swarmAnswers('x', 'default/m', {...answers, nodes: {}})).toThrow(MalformedAnswerError);
	});
});
