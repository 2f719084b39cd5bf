import {formatBytes} from '../format.js';
import type {Command} from './command.js';
import {errorText, type CommandContext} from './context.js';

/** A frame per chunk would be thousands: the progress view moves once per 256 KiB. */
const progressStepBytes = 262_144;

/** `i`: into the daemon this row is in (or opens), from the daemon its container runs on. */
async function copyImage(context: CommandContext): Promise<void> {
	const tree = context.tree();
	const row = context.row();
	const container = row?.containerKey ? tree.containers[row.containerKey] : undefined;
	const into = container?.innerDaemon ?? row?.daemonPath;
	const intoDaemon = into ? tree.daemons[into] : undefined;
	const holder = intoDaemon?.parentContainer ? tree.containers[intoDaemon.parentContainer] : undefined;
	if (!into || !intoDaemon || !holder) {
		context.say('i copies an image into a DinD daemon: select a DinD container or something inside one', 'error');
		return;
	}
	const from = holder.daemonPath;
	if (intoDaemon.status !== 'ready') {
		context.say(`${into} is not reachable`, 'error');
		return;
	}
	let images: Array<{name: string; size: number}>;
	try {
		images = await context.controller.images(from);
	} catch (error) {
		return void context.say(errorText(error), 'error');
	}
	const picked = await context.pick({
		title: `Copy an image from ${from} into ${into}`,
		items: images.map((image) => ({label: image.name, detail: formatBytes(image.size)})),
		withCommand: false,
	});
	if (!picked) return;
	const image = picked.item.label;
	const total = images.find((candidate) => candidate.name === image)?.size;
	const title = `Copying ${image} from ${from} into ${into}`;
	const showing = () => context.state().overlay?.type === 'progress';
	context.dispatch({type: 'overlay', overlay: {type: 'progress', title, bytes: 0, total}});
	let last = 0;
	try {
		const bytes = await context.controller.copyImage(from, into, image, (bytes) => {
			if (bytes - last < progressStepBytes) return;
			last = bytes;
			if (showing()) context.dispatch({type: 'overlay', overlay: {type: 'progress', title, bytes, total}});
		});
		if (showing()) context.dispatch({type: 'overlay', overlay: undefined});
		context.say(`copied ${image} into ${into} (${formatBytes(bytes)})`, 'success');
	} catch (error) {
		if (showing()) context.dispatch({type: 'overlay', overlay: undefined});
		context.say(`copy ${image}: ${errorText(error)}`, 'error');
	}
}

/** `D`: docker info of the selected daemon against the marked one, else against its parent. */
async function diff(context: CommandContext): Promise<void> {
	const tree = context.tree();
	const selected = context.targetDaemon();
	if (!selected) return;
	const marked = context.state().marked;
	const holder = tree.daemons[selected]?.parentContainer;
	const other = marked && marked !== selected ? marked : holder ? tree.containers[holder]?.daemonPath : undefined;
	if (!other) {
		context.say(`${selected} has no parent daemon: mark another daemon with space, then D`, 'error');
		return;
	}
	for (const path of [other, selected]) {
		if (tree.daemons[path]?.status !== 'ready') {
			context.say(`${path} is not reachable: nothing to compare`, 'error');
			return;
		}
	}
	context.say(`reading docker info of ${other} and ${selected}…`);
	try {
		const [a, b] = await Promise.all([context.controller.report(other), context.controller.report(selected)]);
		context.say('');
		context.dispatch({type: 'overlay', overlay: {type: 'diff', nameA: other, nameB: selected, a, b}});
	} catch (error) {
		context.say(`diff: ${errorText(error)}`, 'error');
	}
}

function mark(context: CommandContext): void {
	const daemon = context.row()?.opensDaemon;
	if (!daemon) {
		context.say('space marks a daemon: select a host or a DinD row', 'error');
		return;
	}
	const marked = context.state().marked;
	context.dispatch({type: 'mark', path: marked === daemon ? undefined : daemon});
	context.say(marked === daemon ? `unmarked ${daemon}` : `marked ${daemon} for diff (D)`);
}

/** `f`: the selected daemon on a unix socket for the user's own tools, or that forward stopped. */
async function forward(context: CommandContext): Promise<void> {
	const target = context.targetDaemon();
	if (!target) return;
	if (!context.controller.toggleForward) return void context.say('forward is not available here', 'error');
	if (context.tree().daemons[target]?.status !== 'ready' && !context.tree().daemons[target]?.forward) {
		return void context.say(`${target} is not reachable: nothing to forward`, 'error');
	}
	try {
		const {socket, started} = await context.controller.toggleForward(target);
		context.say(started ? `${target} forwarded: export DOCKER_HOST=unix://${socket}` : `forward of ${target} stopped, ${socket} removed`, 'success');
	} catch (error) {
		context.say(`forward ${target}: ${errorText(error)}`, 'error');
	}
}

export const daemonCommands: Command[] = [
	{name: 'forward', keys: ['f'], help: 'forward the daemon to a local socket / stop', group: 'Act', run: forward},
	{name: 'copy-image', keys: ['i'], help: 'copy an image from the parent daemon', group: 'Act', run: copyImage},
	{name: 'mark', keys: ['space'], help: 'mark a daemon for diff', group: 'Act', run: mark},
	{name: 'diff', keys: ['D'], help: 'diff docker info (marked or parent)', group: 'Act', hint: 'diff', run: diff},
];
