import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {planPrune} from '../../source/commands/prune.js';
import type {ContainerNode, TreeState} from '../../source/store/model.js';
import {treeReducer} from '../../source/store/tree-reducer.js';

/** The lab tree as captured: everything in it carries dockerception's labels. */
const labTree = JSON.parse(readFileSync(new URL('../fixtures/lab-tree.json', import.meta.url), 'utf8')) as TreeState;

const named = (tree: TreeState, name: string) => Object.values(tree.containers).find((container) => container.name === name)!;
const withoutLabels = (tree: TreeState, name: string): TreeState =>
	treeReducer(tree, {type: 'container/upsert', container: {...named(tree, name), labels: {}}});
const paths = (containers: ContainerNode[]) => containers.map((container) => `${container.daemonPath}/${container.name}`).sort();

/** Every daemon holds busybox, copied from the host (the same ID); `extra` adds images per daemon. */
const images =
	(extra: Record<string, Array<{id: string; pulled: boolean}>> = {}) =>
	async (path: string) => [{id: 'sha256:busybox', pulled: false}, ...(extra[path] ?? [])];

describe('prune weighs what each sandbox holds', () => {
	it('removes the outermost sandboxes when everything inside is dockerception’s or a copy of the host’s', async () => {
		const plan = await planPrune(labTree, images());
		expect(plan.keep).toEqual([]);
		expect(paths(plan.remove)).toEqual(['default/dind-a', 'default/dind-b', 'default/dood', 'default/plain-1', 'default/plain-2', 'default/plain-3']);
		expect(plan.goesWith.has(named(labTree, 'inner-c1').key)).toBe(true);
	});

	it('keeps a DinD whose daemon (at any depth) holds a container without the label, and weighs what is inside it', async () => {
		const tree = withoutLabels(labTree, 'inner-c1');
		const plan = await planPrune(tree, images());
		expect(plan.keep.map(({container, why}) => [container.name, why])).toEqual([
			['dind-b', 'its daemon holds 1 container (inner-c1) that dockerception did not make'],
			['dind-b1', 'its daemon holds 1 container (inner-c1) that dockerception did not make'],
		]);
		// Inside the kept ones, what dockerception made still goes; inner-c1 stays.
		expect(paths(plan.remove)).toContain('default/dind-b/inner-b1');
		expect(paths(plan.remove)).toContain('default/dind-b/dind-b1/inner-c2');
		expect(paths(plan.remove)).not.toContain('default/dind-b/dind-b1/inner-c1');
		expect(paths(plan.remove)).toContain('default/dind-a');
	});

	it('keeps a DinD holding an image found nowhere else; an image pulled from a registry can be pulled again', async () => {
		const plan = await planPrune(
			labTree,
			images({'default/dind-a': [{id: 'sha256:built-inside', pulled: false}], 'default/dind-b': [{id: 'sha256:alpine', pulled: true}]}),
		);
		expect(plan.keep.map(({container, why}) => [container.name, why])).toEqual([
			['dind-a', 'its daemon holds 1 image found nowhere else that dockerception did not make'],
		]);
		expect(paths(plan.remove)).toContain('default/dind-b');
	});

	it('keeps a DinD whose daemon does not answer: what its volume holds is not known', async () => {
		const tree = treeReducer(labTree, {type: 'daemon/unreachable', path: 'default/dind-a', error: 'container exited'});
		const plan = await planPrune(tree, images());
		expect(plan.keep.map(({container, why}) => [container.name, why])).toEqual([
			['dind-a', 'what its daemon holds is not known (default/dind-a: container exited); start it and prune again'],
		]);
	});

	it('a swarm lab’s task containers are part of the lab', async () => {
		const node = named(labTree, 'dind-a');
		let tree = treeReducer(labTree, {type: 'container/upsert', container: {...node, labels: {...node.labels, 'io.dockerception.swarm': 'sw'}}});
		const task = named(tree, 'inner-a1');
		tree = treeReducer(tree, {type: 'container/upsert', container: {...task, labels: {'com.docker.swarm.task.id': 'abc'}}});
		const plan = await planPrune(tree, images());
		expect(plan.keep).toEqual([]);
		expect(paths(plan.remove)).toContain('default/dind-a');
	});
});
