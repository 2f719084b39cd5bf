import type {NavigationIntent} from '../navigation.js';
import type {Command} from './command.js';
import {errorText, type CommandContext} from './context.js';

/** Moving in the tree; up and down scroll the details instead while they have the focus. */
function move(name: string, keys: string[], help: string, intent: NavigationIntent, scroll?: number): Command {
	return {
		name,
		keys,
		help,
		group: 'Move',
		run(context: CommandContext) {
			if (scroll !== undefined && context.state().focus === 'details') {
				context.dispatch({type: 'details/scroll', by: scroll, limit: context.detailsScrollLimit()});
				return;
			}
			context.dispatch({type: 'navigate', intent});
		},
	};
}

export const moveCommands: Command[] = [
	move('up', ['up', 'k'], 'move up', {type: 'move', by: -1}, -1),
	move('down', ['down', 'j'], 'move down', {type: 'move', by: 1}, 1),
	move('page-up', ['pgup'], 'page up', {type: 'page', by: -1}),
	move('page-down', ['pgdn'], 'page down', {type: 'page', by: 1}),
	move('first', ['g', 'home'], 'first row', {type: 'first'}),
	move('last', ['G', 'end'], 'last row', {type: 'last'}),
	move('expand', ['right'], 'expand / step in', {type: 'expand'}),
	move('collapse', ['left'], 'collapse / step out', {type: 'collapse'}),
	move('toggle', ['enter'], 'expand or collapse', {type: 'toggle'}),
];

export const viewCommands: Command[] = [
	{name: 'details', keys: ['tab'], help: 'switch tree / details', group: 'View', hint: 'details', run: (context) => context.dispatch({type: 'focus/toggle'})},
	{name: 'filter', keys: ['/'], help: 'filter by name or image', group: 'View', hint: 'filter', run: (context) => context.dispatch({type: 'filter/start'})},
	{name: 'command', keys: [':'], help: 'run a command by name', group: 'View', run: (context) => context.dispatch({type: 'command/set', text: ''})},
	{name: 'back', keys: ['esc'], help: 'close overlay, clear filter', group: 'View', run: (context) => context.dispatch({type: 'back'})},
	{
		name: 'help',
		keys: ['?'],
		help: 'this help',
		group: 'View',
		hint: 'help',
		run: (context) => context.dispatch({type: 'overlay', overlay: context.state().overlay?.type === 'help' ? undefined : {type: 'help'}}),
	},
	{
		name: 'refresh',
		keys: ['ctrl-r'],
		help: 'reconnect the selected daemon',
		group: 'View',
		async run(context) {
			const row = context.row();
			const target = row?.opensDaemon ?? row?.daemonPath ?? context.tree().roots[0];
			if (!target) return;
			context.say(`reconnecting ${target}…`);
			try {
				await context.controller.refresh(target);
				context.say(`${target} refreshed`, 'success');
			} catch (error) {
				context.say(`${target}: ${errorText(error)}`, 'error');
			}
		},
	},
	{name: 'quit', keys: ['q', 'ctrl-c'], help: 'quit', group: 'View', hint: 'quit', run: (context) => context.exit()},
];
