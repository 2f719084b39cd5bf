import type {Key} from 'ink';

/**
 * Keys as people write them: "j", "D", "?", "space", "enter", "esc", "tab", "up", "pgdn",
 * "ctrl-r". The registry, the user's keymap and the help all use this one spelling.
 */
export type KeySpec = string;

const named: Record<string, {test: (input: string, key: Key) => boolean; shown: string}> = {
	up: {test: (_i, k) => k.upArrow, shown: '↑'},
	down: {test: (_i, k) => k.downArrow, shown: '↓'},
	left: {test: (_i, k) => k.leftArrow, shown: '←'},
	right: {test: (_i, k) => k.rightArrow, shown: '→'},
	pgup: {test: (_i, k) => k.pageUp, shown: 'PgUp'},
	pgdn: {test: (_i, k) => k.pageDown, shown: 'PgDn'},
	home: {test: (_i, k) => k.home, shown: 'Home'},
	end: {test: (_i, k) => k.end, shown: 'End'},
	enter: {test: (_i, k) => k.return, shown: 'enter'},
	esc: {test: (_i, k) => k.escape, shown: 'esc'},
	tab: {test: (_i, k) => k.tab && !k.shift, shown: 'tab'},
	space: {test: (i, k) => i === ' ' && !k.ctrl && !k.meta, shown: 'space'},
};

/** Why a spec is not a key, or undefined when it is one. */
export function keySpecProblem(spec: string): string | undefined {
	if (named[spec]) return undefined;
	// ctrl-h, ctrl-i, ctrl-j and ctrl-m are what backspace, tab and enter send: never seen as ctrl.
	if (/^ctrl-[a-gk-lnz]$/.test(spec) || /^ctrl-[o-z]$/.test(spec)) return undefined;
	if (spec.length === 1 && spec >= '!' && spec <= '~') return undefined;
	return `"${spec}" is not a key (a printable character, ctrl-a … ctrl-z except ctrl-h ctrl-i ctrl-j ctrl-m, or one of ${Object.keys(named).join(', ')})`;
}

export function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
	const special = named[spec];
	if (special) return special.test(input, key);
	const ctrl = /^ctrl-([a-z])$/.exec(spec);
	if (ctrl) return key.ctrl && input === ctrl[1];
	return !key.ctrl && !key.meta && input === spec;
}

/** How a key is written on screen: arrows as arrows, the rest as spelled. */
export function shownKey(spec: KeySpec): string {
	return named[spec]?.shown ?? spec;
}

/**
 * Several plain keys in one chunk (typed fast, or pasted: "/name" then enter) are several key
 * presses; anything else (an arrow, ctrl-x) is one.
 */
export function splitChunk(input: string, key: Key, raw?: string): Array<{input: string; key: Key}> {
	// Esc and a key in one read: Alt+key in most terminals, or Esc and a key typed fast. Ink
	// passes on the key alone (the escape dropped), which acted on Alt+r as r. It is the escape
	// alone: Esc only ever closes or cancels, and the key, ambiguous, does nothing (as in k9s).
	if (raw !== undefined && raw.length === 2 && raw[0] === '\u001B' && raw[1] === input && /^[\x20-\x7E]$/.test(input)) {
		return [{input: '', key: {...key, meta: true, escape: true, shift: false}}];
	}
	if (input.length <= 1 || key.ctrl || key.meta || !/^[\x20-\x7E\r]+$/.test(input)) return [{input, key}];
	return [...input].map((single) => ({input: single === '\r' ? '' : single, key: {...key, shift: /[A-Z]/.test(single), return: single === '\r'}}));
}
