import type {SandboxMode} from '../daemon/labels.js';
import type {TreeRow} from '../store/tree-rows.js';
import type {StatusMessage} from './StatusBar.js';
import {initialNavigation, navigate, scrollFor, type NavigationIntent, type NavigationState} from './navigation.js';
import type {Overlay} from './overlay.js';

/**
 * Everything the TUI remembers between keys, in one value. Keys in one chunk are reduced in
 * order, each seeing the state the one before left, so no key acts on a stale row.
 */
export interface AppState {
	nav: NavigationState;
	filter: {text: string; editing: boolean};
	/** A `:` command being typed. */
	command: {text: string} | undefined;
	focus: 'tree' | 'details';
	overlay: Overlay | undefined;
	/** The daemon marked with space (diff compares against it). */
	marked: string | undefined;
	spawnMode: SandboxMode;
	message: StatusMessage | undefined;
	detailsScroll: number;
}

export const initialAppState: AppState = {
	nav: initialNavigation,
	filter: {text: '', editing: false},
	command: undefined,
	focus: 'tree',
	overlay: undefined,
	marked: undefined,
	spawnMode: 'dind',
	message: undefined,
	detailsScroll: 0,
};

export type AppAction =
	| {type: 'navigate'; intent: NavigationIntent}
	/** Select a row that may not be drawn yet (a container just created): aim at it, unfold it. */
	| {type: 'select'; id: string}
	| {type: 'filter/start'}
	| {type: 'filter/set'; text: string; editing: boolean}
	| {type: 'command/set'; text: string | undefined}
	| {type: 'focus/toggle'}
	| {type: 'overlay'; overlay: Overlay | undefined}
	| {type: 'mark'; path: string | undefined}
	| {type: 'spawn-mode'; mode: SandboxMode}
	| {type: 'say'; message: StatusMessage | undefined}
	| {type: 'details/scroll'; by: number; limit: number}
	/** esc: close what is open, else clear the filter, else leave the details, else the message. */
	| {type: 'back'};

/** What reducing needs besides the state: the rows the state shows, and the viewport height. */
export interface AppEnvironment {
	rows: (state: AppState) => readonly TreeRow[];
	viewport: number;
}

export function reduceApp(state: AppState, action: AppAction, env: AppEnvironment): AppState {
	switch (action.type) {
		case 'navigate': {
			const rows = env.rows(state);
			const stepped = navigate(state.nav, rows, action.intent, env.viewport);
			if (stepped === state.nav) return state;
			const nav = {...stepped, scrollTop: scrollFor(stepped, rows, env.viewport)};
			return {...state, nav, detailsScroll: 0};
		}
		case 'select': {
			const rows = env.rows(state);
			const next = navigate(state.nav, rows, {type: 'select', id: action.id}, env.viewport);
			const aimed = next === state.nav ? {...state.nav, selectedId: action.id} : next;
			const collapsed = new Set([...aimed.collapsed].filter((id) => id !== action.id));
			return {...state, nav: {...aimed, collapsed}, focus: 'tree', detailsScroll: 0};
		}
		case 'filter/start':
			return {...state, filter: {text: state.filter.text, editing: true}};
		case 'filter/set':
			return {...state, filter: {text: action.text, editing: action.editing}};
		case 'command/set':
			return {...state, command: action.text === undefined ? undefined : {text: action.text}};
		case 'focus/toggle':
			return {...state, focus: state.focus === 'tree' ? 'details' : 'tree'};
		case 'overlay':
			return {...state, overlay: action.overlay};
		case 'mark':
			return {...state, marked: action.path};
		case 'spawn-mode':
			return {...state, spawnMode: action.mode};
		case 'say':
			return {...state, message: action.message};
		case 'details/scroll':
			return {...state, detailsScroll: Math.max(0, Math.min(action.limit, state.detailsScroll + action.by))};
		case 'back':
			if (state.overlay) return {...state, overlay: undefined};
			if (state.filter.text) return {...state, filter: {text: '', editing: false}};
			if (state.focus === 'details') return {...state, focus: 'tree'};
			return {...state, message: undefined};
	}
}
