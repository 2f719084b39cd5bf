import type {Key} from 'ink';

/**
 * The one keymap: every key the TUI answers, what it does, and the help text. Components never
 * read keys themselves; the app maps input to an intent here and routes the intent.
 */
export type Intent =
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'first'
	| 'last'
	| 'expand'
	| 'collapse'
	| 'toggle'
	| 'focus'
	| 'filter'
	| 'back'
	| 'help'
	| 'refresh'
	| 'quit'
	| 'new-sandbox'
	| 'new-container'
	| 'mode'
	| 'attach'
	| 'shell'
	| 'logs'
	| 'stop-start'
	| 'restart'
	| 'pause'
	| 'remove'
	| 'copy-image'
	| 'mark'
	| 'diff';

export interface KeyBinding {
	intent: Intent;
	/** How the keys are written in the help overlay. */
	keys: string;
	help: string;
	group: 'Move' | 'View' | 'Act';
	matches: (input: string, key: Key) => boolean;
}

const char = (...chars: string[]) => (input: string, key: Key) => !key.ctrl && !key.meta && chars.includes(input);

export const keymap: KeyBinding[] = [
	{intent: 'up', keys: '↑ k', help: 'move up', group: 'Move', matches: (i, k) => k.upArrow || char('k')(i, k)},
	{intent: 'down', keys: '↓ j', help: 'move down', group: 'Move', matches: (i, k) => k.downArrow || char('j')(i, k)},
	{intent: 'page-up', keys: 'PgUp', help: 'page up', group: 'Move', matches: (_i, k) => k.pageUp},
	{intent: 'page-down', keys: 'PgDn', help: 'page down', group: 'Move', matches: (_i, k) => k.pageDown},
	{intent: 'first', keys: 'g Home', help: 'first row', group: 'Move', matches: (i, k) => k.home || char('g')(i, k)},
	{intent: 'last', keys: 'G End', help: 'last row', group: 'Move', matches: (i, k) => k.end || char('G')(i, k)},
	{intent: 'expand', keys: '→', help: 'expand / step in', group: 'Move', matches: (_i, k) => k.rightArrow},
	{intent: 'collapse', keys: '←', help: 'collapse / step out', group: 'Move', matches: (_i, k) => k.leftArrow},
	{intent: 'toggle', keys: 'enter', help: 'expand or collapse', group: 'Move', matches: (_i, k) => k.return},
	{intent: 'focus', keys: 'tab', help: 'switch tree / details', group: 'View', matches: (_i, k) => k.tab},
	{intent: 'filter', keys: '/', help: 'filter by name or image', group: 'View', matches: char('/')},
	{intent: 'back', keys: 'esc', help: 'close overlay, clear filter', group: 'View', matches: (_i, k) => k.escape},
	{intent: 'help', keys: '?', help: 'this help', group: 'View', matches: char('?')},
	{intent: 'refresh', keys: 'ctrl-r', help: 'reconnect the selected daemon', group: 'View', matches: (i, k) => k.ctrl && i === 'r'},
	{intent: 'quit', keys: 'q ctrl-c', help: 'quit', group: 'View', matches: (i, k) => char('q')(i, k) || (k.ctrl && i === 'c')},
	{intent: 'new-sandbox', keys: 'n', help: 'new sandbox on this daemon', group: 'Act', matches: char('n')},
	{intent: 'new-container', keys: 'c', help: 'new container on this daemon', group: 'Act', matches: char('c')},
	{intent: 'mode', keys: 'm', help: 'spawn mode: DinD / socket / sysbox', group: 'Act', matches: char('m')},
	{intent: 'attach', keys: 'a', help: 'attach to the container', group: 'Act', matches: char('a')},
	{intent: 'shell', keys: 'e', help: 'shell in the container', group: 'Act', matches: char('e')},
	{intent: 'logs', keys: 'l', help: 'follow logs', group: 'Act', matches: char('l')},
	{intent: 'stop-start', keys: 's', help: 'stop / start', group: 'Act', matches: char('s')},
	{intent: 'restart', keys: 'r', help: 'restart', group: 'Act', matches: char('r')},
	{intent: 'pause', keys: 'p', help: 'pause / unpause', group: 'Act', matches: char('p')},
	{intent: 'remove', keys: 'd', help: 'remove (asks first)', group: 'Act', matches: char('d')},
	{intent: 'copy-image', keys: 'i', help: 'copy an image from the parent daemon', group: 'Act', matches: char('i')},
	{intent: 'mark', keys: 'space', help: 'mark a daemon for diff', group: 'Act', matches: char(' ')},
	{intent: 'diff', keys: 'D', help: 'diff docker info (marked or parent)', group: 'Act', matches: char('D')},
];

export function intentFor(input: string, key: Key): Intent | undefined {
	return keymap.find((binding) => binding.matches(input, key))?.intent;
}
