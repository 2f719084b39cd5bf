import type {TreeController} from '../controller.js';
import type {ContainerNode} from '../../store/model.js';
import {sandboxContents, volumeLossLines} from '../../store/sandbox-contents.js';
import {containersOf} from '../../store/selectors.js';
import type {Command} from './command.js';
import {errorText, managed, pathOf, type CommandContext} from './context.js';

/** Containers of the daemon inside this one: what goes with it. */
function innerCount(context: CommandContext, container: ContainerNode): number {
	const tree = context.tree();
	const inner = container.innerDaemon ? tree.daemons[container.innerDaemon] : undefined;
	return inner ? containersOf(tree, inner).length : 0;
}

async function lifecycle(
	context: CommandContext,
	container: ContainerNode,
	operation: Parameters<TreeController['lifecycle']>[1],
	done: string,
): Promise<void> {
	const verb = operation === 'remove-with-volumes' ? 'remove' : operation;
	context.say(`${verb} ${pathOf(container)}…`);
	try {
		await context.controller.lifecycle(container, operation);
		context.say(`${pathOf(container)} ${done}`, 'success');
	} catch (error) {
		context.say(`${verb} ${pathOf(container)}: ${errorText(error)}`, 'error');
	}
}

async function stopOrStart(context: CommandContext): Promise<void> {
	const container = context.needContainer();
	if (!container) return;
	if (container.state !== 'running' && container.state !== 'paused' && container.state !== 'restarting') {
		await lifecycle(context, container, 'start', 'started');
		return;
	}
	if (!managed(container)) {
		const inner = innerCount(context, container);
		const yes = await context.confirm({
			title: `Stop ${pathOf(container)}?`,
			lines: [`${container.name} was not created by dockerception.`, ...(inner > 0 ? [`⚠ its daemon and ${inner} inner containers stop with it`] : [])],
			action: 'stop',
		});
		if (!yes) return void context.say('kept it');
	}
	await lifecycle(context, container, 'stop', 'stopped');
}

async function remove(context: CommandContext): Promise<void> {
	const container = context.needContainer();
	if (!container) return;
	const tree = context.tree();
	const contents = sandboxContents(tree, container);
	// As `docker rm -f`: anonymous volumes stay, except a daemon's own (the dialog says what it
	// holds) and a sandbox's (its image's /var/lib/docker, unused by a socket sandbox).
	const withVolumes = contents !== undefined || (managed(container) && container.labels['io.dockerception.mode'] !== 'plain');
	const volumes = container.mounts.filter((mount) => mount.type === 'volume').length;
	const yes = await context.confirm({
		title: `Remove ${pathOf(container)}?`,
		lines: [
			`${container.image} · ${container.state}${managed(container) ? ' · created by dockerception' : ' · not created by dockerception'}`,
			...(contents ? volumeLossLines(tree, contents) : []),
			...(!withVolumes && volumes > 0 ? [`its volume${volumes === 1 ? '' : 's'} stay${volumes === 1 ? 's' : ''} (as with docker rm -f)`] : []),
			...(container.state === 'running' ? ['⚠ it is running: it will be killed'] : []),
		],
		action: 'remove',
	});
	if (!yes) return void context.say('kept it');
	await lifecycle(context, container, withVolumes ? 'remove-with-volumes' : 'remove', 'removed');
}

async function pause(context: CommandContext): Promise<void> {
	const container = context.needContainer();
	if (!container) return;
	if (container.state === 'paused') await lifecycle(context, container, 'unpause', 'unpaused');
	else if (container.state === 'running') await lifecycle(context, container, 'pause', 'paused');
	else context.say(`${pathOf(container)} is ${container.state}: only a running container pauses`, 'error');
}

/** A shell (`e`) or the container's main process (`a`) on the terminal until it ends or detaches. */
async function terminal(context: CommandContext, kind: 'shell' | 'attach'): Promise<void> {
	const container = context.needContainer();
	if (!container) return;
	if (container.state !== 'running') {
		context.say(`${pathOf(container)} is ${container.state}: ${kind === 'shell' ? 'a shell' : 'attach'} needs it running`, 'error');
		return;
	}
	try {
		context.say(await context.suspend(() => context.controller.terminalSession(container, kind)), 'info');
	} catch (error) {
		context.say(`${kind} ${pathOf(container)}: ${errorText(error)}`, 'error');
	}
}

export const containerCommands: Command[] = [
	{name: 'attach', keys: ['a'], help: 'attach to the container', group: 'Act', run: (context) => terminal(context, 'attach')},
	{name: 'shell', keys: ['e'], help: 'shell in the container', group: 'Act', hint: 'shell', run: (context) => terminal(context, 'shell')},
	{
		name: 'logs',
		keys: ['l'],
		help: 'follow logs',
		group: 'Act',
		hint: 'logs',
		run(context) {
			const container = context.needContainer();
			if (!container) return;
			context.dispatch({
				type: 'overlay',
				overlay: {type: 'logs', title: `logs ${pathOf(container)}`, follow: (onLines) => context.controller.followLogs(container, onLines)},
			});
		},
	},
	{name: 'stop-start', keys: ['s'], help: 'stop / start', group: 'Act', run: stopOrStart},
	{
		name: 'restart',
		keys: ['r'],
		help: 'restart',
		group: 'Act',
		async run(context) {
			const container = context.needContainer();
			if (container) await lifecycle(context, container, 'restart', 'restarted');
		},
	},
	{name: 'pause', keys: ['p'], help: 'pause / unpause', group: 'Act', run: pause},
	{name: 'remove', keys: ['d'], help: 'remove (asks first)', group: 'Act', run: remove},
];
