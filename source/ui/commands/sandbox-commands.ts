import type {SandboxMode} from '../../daemon/labels.js';
import {defaultName} from '../../daemon/sandbox-containers.js';
import {nodeCountProblem, swarmLabSummary} from '../../daemon/swarm-lab.js';
import {containerKey} from '../../store/model.js';
import {sandboxContents, volumeLossLines} from '../../store/sandbox-contents.js';
import {containersOf} from '../../store/selectors.js';
import {formatBytes} from '../format.js';
import {modeNames} from '../SpawnDialog.js';
import type {Command} from './command.js';
import {errorText, managed, pathOf, type CommandContext} from './context.js';

const sandboxModes: readonly SandboxMode[] = ['dind', 'socket', 'sysbox'];

/** `n`: the spawn form on the selected daemon; it stays open until the sandbox's daemon answers. */
async function spawn(context: CommandContext, args: string[]): Promise<void> {
	const target = context.targetDaemon();
	if (!target) return;
	if (context.tree().daemons[target]?.status !== 'ready') {
		context.say(`${target} is not reachable: no sandbox there`, 'error');
		return;
	}
	let modes: SandboxMode[];
	try {
		modes = await context.controller.spawnModes(target);
	} catch (error) {
		context.say(`${target}: ${errorText(error)}`, 'error');
		return;
	}
	const asked = sandboxModes.find((mode) => mode === args[0]);
	const preferred = asked ?? context.state().spawnMode;
	const mode = modes.includes(preferred) ? preferred : 'dind';
	const dialog = context.spawnForm({daemonPath: target, modes, initial: {name: defaultName(mode), image: '', mode}});
	for (let form = await dialog.next(); form; form = await dialog.next()) {
		const since = Date.now();
		dialog.show({phase: 'working', since, step: `creating ${modeNames[form.mode]} sandbox ${form.name}`}, form);
		try {
			const result = await context.controller.spawn(target, {mode: form.mode, name: form.name, ...(form.image ? {image: form.image} : {})});
			const key = await context.waitFor((tree) => containersOf(tree, tree.daemons[target]!).find((container) => container.id === result.id)?.key, 15_000);
			if (result.mode !== 'socket') {
				if (dialog.isOpen()) dialog.show({phase: 'working', since, step: `waiting for the daemon inside ${form.name} (${result.profile ?? ''})`}, form);
				await context.waitFor((tree) => {
					const container = tree.containers[key];
					if (container && container.state !== 'running' && container.state !== 'restarting') throw new Error(`${form!.name} ${container.state}`);
					const inner = container?.innerDaemon ? tree.daemons[container.innerDaemon] : undefined;
					return inner?.status === 'ready' ? true : undefined;
				}, 90_000);
			}
			dialog.close();
			context.select(key);
			const seconds = ((Date.now() - since) / 1000).toFixed(1);
			const how = result.profile === 'explicit-caps' ? ' with explicit capabilities (this engine refuses --privileged)' : '';
			context.say(`${target}/${result.name} ready in ${seconds} s from ${result.image}${how}`, 'success');
			return;
		} catch (error) {
			const tree = context.tree();
			const created = containersOf(tree, tree.daemons[target]!).find((container) => container.name === form!.name);
			const logs = created ? await context.controller.lastLogLines(created, 5).catch(() => []) : [];
			if (!dialog.isOpen()) {
				context.say(`sandbox ${form.name}: ${errorText(error)}`, 'error');
				return;
			}
			dialog.show({phase: 'failed', message: errorText(error), logs}, form);
		}
	}
}

/** `m`: on a sandbox dockerception made, recreate it in the next mode; elsewhere, the spawn mode. */
async function mode(context: CommandContext): Promise<void> {
	const row = context.row();
	const tree = context.tree();
	const container = row?.containerKey ? tree.containers[row.containerKey] : undefined;
	const from = container?.labels['io.dockerception.mode'] as SandboxMode | undefined;
	if (container && managed(container) && from && sandboxModes.includes(from)) {
		let modes: SandboxMode[];
		try {
			modes = await context.controller.spawnModes(container.daemonPath);
		} catch (error) {
			return void context.say(errorText(error), 'error');
		}
		const to = modes[(modes.indexOf(from) + 1) % modes.length]!;
		const contents = sandboxContents(tree, container);
		const yes = await context.confirm({
			title: `Recreate ${pathOf(container)} as ${modeNames[to]}?`,
			lines: [
				`A ${modeNames[from]} sandbox made by dockerception: a new one is made with its name and labels,`,
				'and this one is removed once the new one runs; it stays if that fails.',
				...(contents ? volumeLossLines(tree, contents) : []),
			],
			action: `recreate as ${modeNames[to]}`,
		});
		if (!yes) return void context.say('kept it');
		context.say(`recreating ${pathOf(container)} as ${modeNames[to]}…`);
		try {
			const result = await context.controller.recreate(container, to);
			context.say(`${container.daemonPath}/${result.name} is now ${modeNames[result.mode]}`, 'success');
		} catch (error) {
			context.say(`recreate ${pathOf(container)}: ${errorText(error)}`, 'error');
		}
		return;
	}
	const target = context.targetDaemon();
	if (!target) return;
	try {
		const modes = await context.controller.spawnModes(target);
		const current = context.state().spawnMode;
		const next = modes[(modes.indexOf(current) + 1) % modes.length] ?? 'dind';
		context.dispatch({type: 'spawn-mode', mode: next});
		context.say(`spawn mode: ${modeNames[next]}${modes.includes('sysbox') ? '' : ' (sysbox: no sysbox-runc on this daemon)'}`);
	} catch (error) {
		context.say(errorText(error), 'error');
	}
}

/** `c`: pick an image of the selected daemon, type a command, and run it there. */
async function newContainer(context: CommandContext): Promise<void> {
	const target = context.targetDaemon();
	if (!target || context.tree().daemons[target]?.status !== 'ready') {
		context.say(`${target ?? 'no daemon'} is not reachable`, 'error');
		return;
	}
	let images: Array<{name: string; size: number}>;
	try {
		images = await context.controller.images(target);
	} catch (error) {
		return void context.say(errorText(error), 'error');
	}
	const picked = await context.pick({
		title: `New container on ${target}: pick an image`,
		items: images.map((image) => ({label: image.name, detail: formatBytes(image.size)})),
		withCommand: true,
	});
	if (!picked) return;
	context.say(`starting ${picked.item.label} on ${target}…`);
	try {
		const created = await context.controller.createContainer(target, {image: picked.item.label, command: picked.command});
		const key = containerKey(target, created.id);
		await context.waitFor((tree) => (tree.containers[key] ? key : undefined), 10_000);
		context.select(key);
		context.say(`${target}/${created.name} started`, 'success');
	} catch (error) {
		context.say(`new container: ${errorText(error)}`, 'error');
	}
}

/** `W`: a swarm lab on the selected daemon: DinD nodes, the first the manager, joined. */
async function swarmLab(context: CommandContext, args: string[]): Promise<void> {
	const target = context.targetDaemon();
	if (!target) return;
	if (context.tree().daemons[target]?.status !== 'ready') {
		context.say(`${target} is not reachable: no swarm lab there`, 'error');
		return;
	}
	const problem = nodeCountProblem(args[0] ?? '3');
	if (problem) {
		context.say(`swarm: ${args[0]} nodes? (${problem})`, 'error');
		return;
	}
	const nodes = Number(args[0] ?? 3);
	const yes = await context.confirm({
		title: `Make a swarm lab of ${nodes} DinD nodes on ${target}?`,
		lines: ['The first node inits a swarm, the others join it as workers.', 'Copy images into the nodes with i; prune removes the lab.'],
		action: 'make the swarm',
	});
	if (!yes) return;
	try {
		const lab = await context.controller.swarmLab(target, nodes, (step) => context.say(`swarm lab: ${step}…`));
		context.say(swarmLabSummary(target, lab), 'success');
	} catch (error) {
		context.say(`swarm lab: ${errorText(error)}`, 'error');
	}
}

export const sandboxCommands: Command[] = [
	{name: 'spawn', keys: ['n'], help: 'new sandbox on this daemon', group: 'Act', hint: 'new', args: sandboxModes, run: spawn},
	{name: 'new-container', keys: ['c'], help: 'new container on this daemon', group: 'Act', run: newContainer},
	{name: 'mode', keys: ['m'], help: 'spawn mode: DinD / socket / sysbox', group: 'Act', hint: 'mode', run: mode},
	{name: 'swarm', keys: ['W'], help: 'swarm lab of DinD nodes', group: 'Act', run: swarmLab},
];
