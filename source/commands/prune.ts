import {oneLine} from '../errors.js';
import {visible} from '../output/visible.js';
import {createInterface} from 'node:readline/promises';
import {managedLabel, modeLabel, swarmLabel} from '../daemon/labels.js';
import {runLifecycle} from '../daemon/lifecycle.js';
import {UserError} from '../errors.js';
import type {ContainerNode, TreeState} from '../store/model.js';
import {takeSnapshot, assertSomeRootReachable, type SnapshotOptions} from './snapshot.js';

/** Managed sandboxes, outermost first; one inside another goes away with it. */
export function pruneCandidates(tree: TreeState): {all: ContainerNode[]; outermost: ContainerNode[]} {
	const all = Object.values(tree.containers).filter((c) => c.labels[managedLabel] === 'true');
	const paths = new Set(all.map((c) => `${c.daemonPath}/${c.name}`));
	const outermost = all.filter((c) => {
		const parts = c.daemonPath.split('/');
		for (let index = 1; index < parts.length; index++) if (paths.has(parts.slice(0, index + 1).join('/'))) return false;
		return true;
	});
	return {all, outermost};
}

/** `dockerception prune`: remove only what dockerception created, after listing it. */
export async function runPrune(options: SnapshotOptions & {yes: boolean}): Promise<number> {
	const {tree, explorer} = await takeSnapshot(options);
	try {
		assertSomeRootReachable(tree, options.endpoints);
		const {all, outermost} = pruneCandidates(tree);
		if (all.length === 0) {
			process.stdout.write('nothing to prune: no container labelled io.dockerception.managed=true\n');
			return 0;
		}
		process.stdout.write(`sandboxes created by dockerception (${all.length}):\n`);
		for (const container of all) {
			const inside = !outermost.includes(container) ? ' (goes with the sandbox it is in)' : '';
			process.stdout.write(
				visible(
					`  ${container.daemonPath}/${container.name}  ${container.labels[modeLabel] ?? ''}${container.labels[swarmLabel] ? ` (swarm ${container.labels[swarmLabel]})` : ''}  ${container.state}${inside}`,
				) + '\n',
			);
		}
		if (!options.yes) {
			if (!process.stdin.isTTY) throw new UserError('prune removes containers: confirm with --yes when not at a terminal', 2);
			const prompt = createInterface({input: process.stdin, output: process.stdout});
			const answer = (await prompt.question(`remove ${outermost.length} sandbox${outermost.length === 1 ? '' : 'es'}? [y/N] `)).trim();
			prompt.close();
			if (!/^y(es)?$/i.test(answer)) {
				process.stdout.write('nothing removed\n');
				return 0;
			}
		}
		let failed = 0;
		for (const container of outermost) {
			const client = explorer.client(container.daemonPath);
			try {
				if (!client) throw new Error('its daemon is not connected');
				await runLifecycle(client, container.id, 'remove');
				process.stdout.write(`${visible(`removed ${container.daemonPath}/${container.name}`)}\n`);
			} catch (error) {
				failed++;
				process.stderr.write(`dockerception: ${oneLine(`${container.daemonPath}/${container.name}: ${(error as Error).message}`)}\n`);
			}
		}
		return failed > 0 ? 1 : 0;
	} finally {
		explorer.stop();
	}
}
