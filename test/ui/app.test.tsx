import {readFileSync} from 'node:fs';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {TreeState} from '../../source/store/model.js';
import {createTreeStore, type TreeStore} from '../../source/store/store.js';
import {unicodeGlyphs} from '../../source/output/glyphs.js';
import {App, type TreeController} from '../../source/ui/App.js';
import type {Intent} from '../../source/ui/keymap.js';

const labTree = JSON.parse(readFileSync(new URL('../fixtures/lab-tree.json', import.meta.url), 'utf8')) as TreeState;

const keys = {
	down: '\u001B[B',
	up: '\u001B[A',
	left: '\u001B[D',
	right: '\u001B[C',
	enter: '\r',
	esc: '\u001B',
	tab: '\t',
	ctrlR: '\u0012',
	pageDown: '\u001B[6~',
	end: '\u001B[F',
};

const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

interface Harness {
	store: TreeStore;
	refreshed: string[];
	acted: Array<{intent: Intent; row: string}>;
	frame: () => string;
	press: (...inputs: string[]) => Promise<void>;
	unmount: () => void;
}

let mounted: Harness | undefined;
afterEach(() => mounted?.unmount());

async function mount(options: {columns?: number; rows?: number; tree?: TreeState; handles?: Intent[]} = {}): Promise<Harness> {
	const store = createTreeStore(options.tree ?? labTree);
	const refreshed: string[] = [];
	const acted: Array<{intent: Intent; row: string}> = [];
	const controller: TreeController = {
		refresh: async (path) => {
			refreshed.push(path);
		},
		handles: new Set(options.handles ?? []),
		act: async (intent, context) => {
			acted.push({intent, row: context.row.id});
			return {text: `did ${intent}`, tone: 'success'};
		},
	};
	const instance = render(
		<App
			store={store}
			controller={controller}
			glyphs={unicodeGlyphs}
			ascii={false}
			size={{columns: options.columns ?? 100, rows: options.rows ?? 30}}
		/>,
	);
	await tick();
	const harness: Harness = {
		store,
		refreshed,
		acted,
		frame: () => instance.lastFrame() ?? '',
		press: async (...inputs) => {
			for (const input of inputs) {
				instance.stdin.write(input);
				await tick();
			}
		},
		unmount: () => instance.unmount(),
	};
	mounted = harness;
	return harness;
}

/** The tree panel's line for a container name, and the column its state glyph is in. */
function lineOf(frame: string, name: string): {line: string; column: number} {
	const line = frame.split('\n').find((candidate) => new RegExp(`[●○◐✕] ${name}\\b`).test(candidate));
	expect(line, `row for ${name}`).toBeDefined();
	return {line: line!, column: line!.search(new RegExp(`[●○◐✕] ${name}\\b`))};
}

/** The line that is drawn selected: the details panel title names it. */
const detailsTitle = (frame: string) => /┐┌─ ([^─]+) ─/.exec(frame)?.[1]?.trim() ?? /┌─ ([^─]+) ─+┐\s*$/m.exec(frame)?.[1];

describe('the tree panel', () => {
	it('shows every container of the captured lab at its depth', async () => {
		const {frame} = await mount({rows: 40});
		const text = frame();
		for (const name of ['dind-a', 'dind-b', 'dood', 'plain-1', 'plain-2', 'plain-3']) expect(lineOf(text, name).column).toBe(lineOf(text, 'dind-a').column);
		expect(lineOf(text, 'inner-a1').column).toBeGreaterThan(lineOf(text, 'dind-a').column);
		expect(lineOf(text, 'dind-b1').column).toBeGreaterThan(lineOf(text, 'dind-b').column);
		expect(lineOf(text, 'inner-c1').column).toBeGreaterThan(lineOf(text, 'dind-b1').column);
		expect(lineOf(text, 'dind-b').line).toMatch(/DinD\s+20\.10\.24 · 3 ctrs/);
		expect(lineOf(text, 'dood').line).toMatch(/socket\s+⇢ shares default/);
		expect(lineOf(text, 'plain-3').line).toMatch(/○ plain-3 .*Exited \(0\)/);
	});

	it('moves with j/k and arrows, and the details follow the selection', async () => {
		const ui = await mount({rows: 40});
		expect(ui.frame()).toContain('daemon default');
		await ui.press('j');
		expect(ui.frame()).toMatch(/┌─ dind-a ─/);
		expect(ui.frame()).toMatch(/kind\s+DinD/);
		expect(ui.frame()).toMatch(/because\s+command runs dockerd/);
		expect(ui.frame()).toMatch(/inner daemon default\/dind-a/);
		await ui.press(keys.down, 'j');
		expect(ui.frame()).toMatch(/┌─ inner-a2 ─/);
		expect(ui.frame()).toMatch(/image\s+dockerception-lab\//);
		expect(ui.frame()).not.toMatch(/inner daemon/);
		await ui.press('k');
		expect(ui.frame()).toMatch(/┌─ inner-a1 ─/);
		expect(ui.frame()).toContain(' default/dind-a/inner-a1 ');
		await ui.press('G');
		expect(ui.frame()).toMatch(/┌─ plain-3 ─/);
		await ui.press('g');
		expect(ui.frame()).toContain('daemon default');
	});

	it('collapses and expands with arrows and enter, stepping out of a leaf first', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'j'); // inner-a1
		await ui.press(keys.left); // to dind-a
		expect(ui.frame()).toMatch(/┌─ dind-a ─/);
		await ui.press(keys.left); // collapse dind-a
		expect(ui.frame()).not.toContain('inner-a1');
		expect(lineOf(ui.frame(), 'dind-a').line).toContain('▸');
		await ui.press(keys.right);
		expect(ui.frame()).toContain('inner-a1');
		await ui.press(keys.enter);
		expect(ui.frame()).not.toContain('inner-a1');
		await ui.press(keys.enter);
		expect(ui.frame()).toContain('inner-a1');
	});

	it('filters by name or image keeping ancestors, and esc clears the filter', async () => {
		const ui = await mount({rows: 40});
		await ui.press('/', 'i', 'n', 'n', 'e', 'r', '-', 'c');
		expect(ui.frame()).toContain('/ inner-c');
		const text = ui.frame();
		expect(text).toContain('inner-c1');
		expect(text).toContain('dind-b1');
		expect(text).toContain('dind-b ');
		expect(text).not.toContain('inner-a1');
		expect(text).not.toContain('plain-1');
		await ui.press(keys.enter);
		expect(ui.frame()).toContain('filter "inner-c"');
		await ui.press(keys.esc);
		expect(ui.frame()).toContain('plain-1');
		await ui.press('/', 'z', 'z', 'z', keys.enter);
		expect(ui.frame()).toContain('nothing matches "zzz"');
	});

	it('keeps the selection on its node when rows above it are removed', async () => {
		const ui = await mount({rows: 40});
		await ui.press('G'); // plain-3
		expect(ui.frame()).toMatch(/┌─ plain-3 ─/);
		const dindA = Object.values(labTree.containers).find((c) => c.name === 'dind-a')!;
		ui.store.dispatch({type: 'container/remove', key: dindA.key});
		await tick();
		expect(ui.frame()).not.toContain('inner-a1');
		expect(ui.frame()).toMatch(/┌─ plain-3 ─/);
	});

	it('keeps folded rows folded when the model changes', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', keys.left); // fold dind-a
		const plain1 = Object.values(labTree.containers).find((c) => c.name === 'plain-1')!;
		ui.store.dispatch({type: 'container/upsert', container: {...plain1, state: 'paused'}});
		await tick();
		expect(ui.frame()).not.toContain('inner-a1');
		expect(lineOf(ui.frame(), 'plain-1').line).toContain('◐ plain-1');
	});
});

describe('overlays, focus and keys', () => {
	it('? shows every key and esc closes it', async () => {
		const ui = await mount({rows: 40, columns: 100});
		await ui.press('?');
		const text = ui.frame();
		for (const label of ['move up', 'filter by name or image', 'reconnect the selected daemon', 'shell in the container', 'diff docker info']) {
			expect(text).toContain(label);
		}
		await ui.press(keys.esc);
		expect(ui.frame()).not.toContain('filter by name or image');
		expect(ui.frame()).toContain('inner-a1');
	});

	it('ctrl-r reconnects the daemon the selected row opens', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'j', 'j', 'j', 'j', 'j'); // dind-b
		await ui.press(keys.ctrlR);
		await tick();
		expect(ui.refreshed).toEqual(['default/dind-b']);
		expect(ui.frame()).toContain('default/dind-b refreshed');
	});

	it('a key whose action is not built says so in the status bar', async () => {
		const ui = await mount({rows: 40});
		await ui.press('D');
		expect(ui.frame()).toContain('D: diff docker info (marked or parent) is not built yet');
	});

	it('an action key runs its handler on the selected row', async () => {
		const ui = await mount({rows: 40, handles: ['shell']});
		await ui.press('j', 'j', 'e');
		expect(ui.acted).toEqual([{intent: 'shell', row: Object.values(labTree.containers).find((c) => c.name === 'inner-a1')!.key}]);
		expect(ui.frame()).toContain('did shell');
	});

	it('tab switches panels in a narrow terminal', async () => {
		const ui = await mount({columns: 80, rows: 30});
		expect(ui.frame()).toContain('inner-a1');
		expect(ui.frame()).not.toContain('route ');
		await ui.press(keys.tab);
		expect(ui.frame()).toMatch(/route\s+unix socket/);
		expect(ui.frame()).not.toContain('inner-a1');
		await ui.press(keys.tab);
		expect(ui.frame()).toContain('inner-a1');
	});

	it('fits 60x20 without wrapping and stays below the terminal height', async () => {
		const ui = await mount({columns: 60, rows: 20});
		const lines = ui.frame().split('\n');
		expect(lines.length).toBeLessThanOrEqual(19);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
		await ui.press(keys.pageDown);
		expect(ui.frame().split('\n').length).toBeLessThanOrEqual(19);
	});

	it('says what to do when no daemon is reachable', async () => {
		const down: TreeState = {
			roots: ['default'],
			containers: {},
			daemons: {default: {path: 'default', depth: 0, route: 'unix socket /var/run/docker.sock', status: 'unreachable', error: 'no socket at /var/run/docker.sock (is dockerd running?)', containers: []}},
		};
		const ui = await mount({tree: down});
		expect(ui.frame()).toContain('No Docker daemon reachable');
		expect(ui.frame()).toContain('no socket at /var/run/docker.sock');
		expect(ui.frame()).toContain('DOCKER_HOST');
		expect(ui.frame()).toContain('--context');
	});
});
