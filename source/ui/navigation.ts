import type {TreeRow} from '../store/tree-rows.js';

/**
 * Selection, folding and scrolling of the tree panel. Pure: the hook feeds it the current rows,
 * so the selection follows its node by id when rows appear or vanish above it.
 */
export interface NavigationState {
	selectedId: string | undefined;
	/** Where the selection was, to land near it if its row disappears. */
	selectedIndex: number;
	collapsed: ReadonlySet<string>;
	scrollTop: number;
}

export type NavigationIntent =
	| {type: 'move'; by: number}
	| {type: 'page'; by: number}
	| {type: 'first'}
	| {type: 'last'}
	| {type: 'expand'}
	| {type: 'collapse'}
	| {type: 'toggle'}
	| {type: 'select'; id: string};

export const initialNavigation: NavigationState = {selectedId: undefined, selectedIndex: 0, collapsed: new Set(), scrollTop: 0};

/** Index of the selected row in `rows` (falling back near where it was). */
export function selectedIndex(state: NavigationState, rows: readonly TreeRow[]): number {
	if (rows.length === 0) return -1;
	const found = state.selectedId === undefined ? -1 : rows.findIndex((row) => row.id === state.selectedId);
	if (found >= 0) return found;
	return Math.min(Math.max(state.selectedIndex, 0), rows.length - 1);
}

function selectIndex(state: NavigationState, rows: readonly TreeRow[], index: number): NavigationState {
	if (rows.length === 0) return state;
	const clamped = Math.min(Math.max(index, 0), rows.length - 1);
	return {...state, selectedId: rows[clamped]!.id, selectedIndex: clamped};
}

export function navigate(state: NavigationState, rows: readonly TreeRow[], intent: NavigationIntent, viewportHeight: number): NavigationState {
	const index = selectedIndex(state, rows);
	const row = rows[index];
	switch (intent.type) {
		case 'move':
			return selectIndex(state, rows, index + intent.by);
		case 'page':
			return selectIndex(state, rows, index + intent.by * Math.max(1, viewportHeight - 1));
		case 'first':
			return selectIndex(state, rows, 0);
		case 'last':
			return selectIndex(state, rows, rows.length - 1);
		case 'select': {
			const target = rows.findIndex((candidate) => candidate.id === intent.id);
			return target >= 0 ? selectIndex(state, rows, target) : state;
		}
		case 'expand': {
			if (!row?.expandable) return state;
			if (!row.expanded) return {...state, collapsed: without(state.collapsed, row.id)};
			// Already open: step into it, as file trees do.
			const child = rows[index + 1];
			return child && child.depth > row.depth ? selectIndex(state, rows, index + 1) : state;
		}
		case 'collapse': {
			if (!row) return state;
			if (row.expandable && row.expanded) return {...state, collapsed: withId(state.collapsed, row.id)};
			// Closed or a leaf: go to the row that opens this level.
			for (let above = index - 1; above >= 0; above--) {
				if (rows[above]!.depth < row.depth) return selectIndex(state, rows, above);
			}
			return state;
		}
		case 'toggle': {
			if (!row?.expandable) return state;
			return {...state, collapsed: row.expanded ? withId(state.collapsed, row.id) : without(state.collapsed, row.id)};
		}
	}
}

/** Keep the selected row inside the visible window. */
export function scrollFor(state: NavigationState, rows: readonly TreeRow[], viewportHeight: number): number {
	const index = selectedIndex(state, rows);
	const maxTop = Math.max(0, rows.length - viewportHeight);
	let top = Math.min(state.scrollTop, maxTop);
	if (index < top) top = index;
	if (index >= top + viewportHeight) top = index - viewportHeight + 1;
	return Math.max(0, top);
}

function withId(set: ReadonlySet<string>, id: string): Set<string> {
	const next = new Set(set);
	next.add(id);
	return next;
}

function without(set: ReadonlySet<string>, id: string): Set<string> {
	const next = new Set(set);
	next.delete(id);
	return next;
}
