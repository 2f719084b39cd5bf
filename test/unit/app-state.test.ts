import {describe, expect, it} from 'vitest';
import type {TreeState} from '../../source/store/model.js';
import {buildRows} from '../../source/store/tree-rows.js';
import {initialAppState, reduceApp, type AppAction, type AppState} from '../../source/ui/app-state.js';
import {selectedIndex} from '../../source/ui/navigation.js';
import labTree from '../fixtures/lab-tree.json' with {type: 'json'};

const tree = labTree as unknown as TreeState;
const env = {rows: (state: AppState) => buildRows(tree, {collapsed: state.nav.collapsed, filter: state.filter.text}), viewport: 10};
const reduce = (actions: AppAction[], from = initialAppState) => actions.reduce((state, action) => reduceApp(state, action, env), from);
const selectedName = (state: AppState) => {
	const rows = env.rows(state);
	const row = rows[selectedIndex(state.nav, rows)];
	return row?.containerKey ? tree.containers[row.containerKey]?.name : row?.id;
};

describe('the app state', () => {
	it('reduces keys in order: a filter, then "last" moves among the filtered rows', () => {
		const state = reduce([{type: 'filter/start'}, {type: 'filter/set', text: 'inner-c1', editing: false}, {type: 'navigate', intent: {type: 'last'}}]);
		expect(selectedName(state)).toBe('inner-c1');
	});

	it('esc closes the overlay first, then clears the filter, then leaves the details, then the message', () => {
		let state = reduce([
			{type: 'filter/set', text: 'dind', editing: false},
			{type: 'focus/toggle'},
			{type: 'say', message: {text: 'hello', tone: 'info'}},
			{type: 'overlay', overlay: {type: 'help'}},
		]);
		const steps: string[] = [];
		for (let index = 0; index < 4; index++) {
			state = reduceApp(state, {type: 'back'}, env);
			steps.push([state.overlay ? 'overlay' : '', state.filter.text ? 'filter' : '', state.focus, state.message ? 'message' : ''].join(','));
		}
		expect(steps).toEqual([',filter,details,message', ',,details,message', ',,tree,message', ',,tree,']);
	});

	it('selects a row that is not drawn yet and unfolds it when it comes', () => {
		const folded = reduce([
			{type: 'navigate', intent: {type: 'first'}},
			{type: 'navigate', intent: {type: 'toggle'}},
		]);
		const state = reduceApp(folded, {type: 'select', id: 'default#not-there-yet'}, env);
		expect(state.nav.selectedId).toBe('default#not-there-yet');
		expect(state.focus).toBe('tree');
	});

	it('keeps the details scroll inside its limit', () => {
		const state = reduce([
			{type: 'details/scroll', by: 5, limit: 3},
			{type: 'details/scroll', by: -1, limit: 3},
		]);
		expect(state.detailsScroll).toBe(2);
		expect(reduceApp(state, {type: 'details/scroll', by: -9, limit: 3}, env).detailsScroll).toBe(0);
	});
});
