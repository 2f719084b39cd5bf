import {readFileSync} from 'node:fs';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {TreeState} from '../../source/store/model.js';
import {createTreeStore, type TreeStore} from '../../source/store/store.js';
import {unicodeGlyphs} from '../../source/output/glyphs.js';
import {App} from '../../source/ui/App.js';
import type {TreeController} from '../../source/ui/controller.js';
import type {DaemonReport} from '../../source/daemon/info-diff.js';
import {drawn, frameShows, listening, typeKeys} from './harness.js';

// Each key costs a frame of the whole app, up to a second on a loaded 2-core machine: a test
// that types forty keys is bounded by this deadline, never by a sleep.
vi.setConfig({testTimeout: 30_000});

const reports = JSON.parse(readFileSync(new URL('../fixtures/lab-reports.json', import.meta.url), 'utf8')) as Record<'host' | 'dind-a', DaemonReport>;
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

interface Harness {
	store: TreeStore;
	calls: string[];
	frame: () => string;
	/** Every frame Ink wrote, the last one last. */
	frames: string[];
	/** Type keys one by one, each once the last one is drawn. */
	press: (...inputs: string[]) => Promise<void>;
	/** Wait until the frame shows what `check` looks for (what a timer or a later answer draws). */
	shows: (check: (frame: string) => boolean, what: string) => Promise<void>;
	/** Wait until what was started is drawn (see drawn in harness.tsx). */
	idle: () => Promise<void>;
	unmount: () => void;
	/** Let a pending terminal session end. */
	endSession: () => void;
}

let mounted: Harness | undefined;
afterEach(() => mounted?.unmount());

/**
 * The UI's boundary is the controller: this one records what the UI asked for and answers
 * as the daemon layer would, so the keys can be driven over captured lab data.
 */
function recordingController(calls: string[], feeds: Feeds = {}): {controller: TreeController; endSession: () => void} {
	let endSession = () => {};
	const controller: TreeController = {
		refresh: async (path) => {
			calls.push(`refresh ${path}`);
		},
		lifecycle: async (container, operation) => {
			calls.push(`${operation} ${container.name}`);
		},
		spawnModes: async () => ['dind', 'socket'],
		spawn: async (daemonPath, spec) => {
			calls.push(`spawn ${spec.mode} ${spec.name} on ${daemonPath}`);
			return new Promise(() => {});
		},
		swarmLab: async (daemonPath, nodes) => {
			calls.push(`swarm lab of ${nodes} on ${daemonPath}`);
			return {clusterId: 'c1', nodes: [`${daemonPath}/swarm-1`]};
		},
		recreate: async (container, mode) => {
			calls.push(`recreate ${container.name} as ${mode}`);
			return {id: container.id, name: container.name, mode, image: container.image};
		},
		lastLogLines: async () => [],
		images: async () => [
			{name: 'dockerception-lab/busybox:1', size: 2_000_000},
			{name: 'dockerception-lab/dind:2', size: 380_000_000},
		],
		createContainer: async (daemonPath, spec) => {
			calls.push(`create ${spec.image} "${spec.command}" on ${daemonPath}`);
			return new Promise(() => {});
		},
		copyImage: async (from, to, image, onBytes) => {
			calls.push(`copy ${image} from ${from} to ${to}`);
			onBytes(1_000_000);
			return 1_000_000;
		},
		followLogs: async (container, onLines) => {
			calls.push(`logs ${container.name}`);
			onLines(
				feeds.logs ?? [
					{stream: 'stdout', text: 'hello from stdout'},
					{stream: 'stderr', text: 'trouble on stderr'},
				],
			);
			return () => calls.push(`logs closed ${container.name}`);
		},
		report: async (daemonPath) => {
			calls.push(`report ${daemonPath}`);
			const report = daemonPath === 'default' ? reports.host : reports['dind-a'];
			return feeds.report ? feeds.report(report) : report;
		},
		terminalSession: (container, kind) => {
			calls.push(`${kind} ${container.name}`);
			return new Promise((resolve) => {
				endSession = () => resolve('sh ended (exit 0)');
			});
		},
	};
	return {controller, endSession: () => endSession()};
}

/** What the recording controller answers instead of the captured lab's. */
interface Feeds {
	logs?: Array<{stream: 'stdout' | 'stderr'; text: string}>;
	report?: (report: DaemonReport) => DaemonReport;
}

async function mount(options: {columns?: number; rows?: number; tree?: TreeState; sandbox?: boolean; feeds?: Feeds} = {}): Promise<Harness> {
	const store = createTreeStore(options.tree ?? labTree);
	const calls: string[] = [];
	const {controller, endSession} = recordingController(calls, options.feeds);
	if (options.sandbox) {
		controller.startSandbox = async () => {
			calls.push('start sandbox');
			return 'sandbox daemon started at unix:///tmp/x.sock';
		};
	}
	const instance = render(
		<App store={store} controller={controller} glyphs={unicodeGlyphs} ascii={false} size={{columns: options.columns ?? 100, rows: options.rows ?? 30}} />,
	);
	await listening(instance);
	await drawn(instance);
	const frame = () => instance.lastFrame() ?? '';
	const harness: Harness = {
		store,
		calls,
		frame,
		frames: instance.frames,
		press: (...inputs) => typeKeys(instance, inputs),
		shows: (check, what) => frameShows(frame, check, what),
		idle: () => drawn(instance),
		unmount: () => instance.unmount(),
		endSession,
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
		// Every reason is there in full, one a line, wrapped rather than cut at the panel's edge.
		expect(ui.frame()).toMatch(/│\s+label io\.dockerception\.\s*│\n.*│\s+mode=dind\s+│/);
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

	it('takes keys that arrive in one chunk (typed fast, pasted) one by one, each where the last left off', async () => {
		const ui = await mount({rows: 40});
		// A filter with its enter.
		await ui.press('/inner-c1\r');
		expect(ui.frame()).toContain('filter "inner-c1"');
		expect(ui.frame()).not.toContain('plain-1');
		// Keys after the filter's enter move in the filtered rows: G is its last row.
		await ui.press(keys.esc, '/inner-c1\rG');
		expect(ui.frame()).toMatch(/┌─ inner-c1 ─/);
		// A move, then enter folds the row moved to.
		await ui.press(keys.esc, 'g');
		await ui.press('j\r');
		expect(ui.frame()).toMatch(/▸● dind-a/);
		// A move, then m asks about the row moved to (a sandbox), not the root (spawn mode).
		await ui.press('g');
		await ui.press('jm');
		expect(ui.frame()).toContain('Recreate default/dind-a as socket?');
	});

	it('keeps the selection on its node when rows above it are removed', async () => {
		const ui = await mount({rows: 40});
		await ui.press('G'); // plain-3
		expect(ui.frame()).toMatch(/┌─ plain-3 ─/);
		const dindA = Object.values(labTree.containers).find((c) => c.name === 'dind-a')!;
		ui.store.dispatch({type: 'container/remove', key: dindA.key});
		await ui.shows((frame) => !frame.includes('dind-a'), 'dind-a and its subtree gone');
		expect(ui.frame()).not.toContain('inner-a1');
		expect(ui.frame()).toMatch(/┌─ plain-3 ─/);
	});

	it('keeps folded rows folded when the model changes', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', keys.left); // fold dind-a
		const plain1 = Object.values(labTree.containers).find((c) => c.name === 'plain-1')!;
		ui.store.dispatch({type: 'container/upsert', container: {...plain1, state: 'paused'}});
		await ui.shows((frame) => frame.includes('◐ plain-1'), 'plain-1 paused');
		expect(ui.frame()).not.toContain('inner-a1');
		expect(lineOf(ui.frame(), 'dind-a').line).toContain('▸');
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
		await ui.shows((frame) => frame.includes('default/dind-b refreshed'), 'the refresh done');
		expect(ui.calls).toEqual(['refresh default/dind-b']);
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

	it('scrolls focused details to their last page and no further', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j'); // dind-a: more details than fit
		expect(ui.frame()).toContain('tab: scroll details');
		expect(ui.frame()).not.toContain('io.dockerception.mode');
		await ui.press(keys.tab, ...Array.from({length: 40}, () => 'j'));
		const last = ui.frame();
		// The last page is full: mounts and labels together, under the hint to scroll back.
		expect(last).toMatch(/│ bind\s+│ \/sys\/fs\/cgr/);
		expect(last).toMatch(/│ io\.dockerception\.mode\s+│ dind/);
		expect(last).toContain('↑↓ scroll');
		// One key back moves at once (pressing past the end did not pile up).
		await ui.press('k');
		expect(ui.frame()).not.toEqual(last);
		await ui.press('j');
		expect(ui.frame()).toEqual(last);
	});

	it('fits 60x20 without wrapping and stays below the terminal height', async () => {
		const ui = await mount({columns: 60, rows: 20});
		const lines = ui.frame().split('\n');
		expect(lines.length).toBeLessThanOrEqual(19);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
		await ui.press(keys.pageDown);
		expect(ui.frame().split('\n').length).toBeLessThanOrEqual(19);
	});

	it('S on the no-daemon screen starts a sandbox when one can run here', async () => {
		const down: TreeState = {
			roots: ['default'],
			containers: {},
			daemons: {default: {path: 'default', depth: 0, route: 'unix socket /var/run/docker.sock', status: 'unreachable', error: 'no socket', containers: []}},
		};
		const ui = await mount({tree: down, sandbox: true});
		expect(ui.frame()).toContain('S starts a private sandbox daemon here');
		await ui.press('S');
		await ui.shows((frame) => frame.includes('sandbox daemon started'), 'the sandbox started');
		expect(ui.calls).toEqual(['start sandbox']);
	});

	it('says what to do when no daemon is reachable', async () => {
		const down: TreeState = {
			roots: ['default'],
			containers: {},
			daemons: {
				default: {
					path: 'default',
					depth: 0,
					route: 'unix socket /var/run/docker.sock',
					status: 'unreachable',
					error: 'no socket at /var/run/docker.sock (is dockerd running?)',
					containers: [],
				},
			},
		};
		const ui = await mount({tree: down});
		expect(ui.frame()).toContain('No Docker daemon reachable');
		expect(ui.frame()).toContain('no socket at /var/run/docker.sock');
		expect(ui.frame()).toContain('DOCKER_HOST');
		expect(ui.frame()).toContain('--context');
	});
});

describe('action keys', () => {
	it('d asks first: n keeps, y removes; a DinD says what goes with its volume', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j'); // dind-a
		await ui.press('d');
		expect(ui.frame()).toContain('Remove default/dind-a?');
		expect(ui.frame()).toContain('its daemon and its volume go with it: 4 containers and 1 image inside will be lost');
		await ui.press('n');
		expect(ui.calls).toEqual([]);
		expect(ui.frame()).toContain('kept it');
		await ui.press('d', '\r');
		expect(ui.calls).toEqual([]);
		await ui.press('d', 'y');
		expect(ui.calls).toEqual(['remove-with-volumes dind-a']);
	});

	it('d on a DinD counts every level inside it, and says when a daemon inside does not answer', async () => {
		const ui = await mount({rows: 40});
		const status = () => ui.frame().trimEnd().split('\n').at(-1) ?? '';
		for (let step = 0; step < 20 && !status().startsWith(' default/dind-b '); step++) await ui.press('j'); // dind-b, holding dind-b1
		await ui.press('d');
		expect(ui.frame()).toContain('Remove default/dind-b?');
		expect(ui.frame()).toContain('7 containers and 3 images inside will be lost');
		await ui.press('n');
		ui.store.dispatch({type: 'daemon/unreachable', path: 'default/dind-b/dind-b1', error: 'container exited'});
		await ui.press('d');
		expect(ui.frame()).toContain('3 containers and 2 images inside will be lost');
		expect(ui.frame()).toContain('and more not counted: no answer from default/dind-b/dind-b1 (container exited)');
		await ui.press('n');
		ui.store.dispatch({type: 'daemon/unreachable', path: 'default/dind-b', error: 'container exited'});
		await ui.press('d');
		expect(ui.frame()).toContain('its daemon and its volume go with it, with all it holds');
		expect(ui.frame()).toContain('not known what: its daemon does not answer, default/dind-b (container exited)');
	});

	it('d keeps the volumes of a container dockerception did not make, as docker rm -f does', async () => {
		const ui = await mount({rows: 40});
		const plain2 = Object.values(labTree.containers).find((c) => c.name === 'plain-2')!;
		const volume = {type: 'volume', source: '/var/lib/docker/volumes/data/_data', destination: '/data', rw: true};
		ui.store.dispatch({type: 'container/upsert', container: {...plain2, labels: {}, mounts: [volume]}});
		await ui.press('G', 'k'); // plain-2
		await ui.press('d');
		expect(ui.frame()).toContain('Remove default/plain-2?');
		expect(ui.frame()).toContain('its volume stays (as with docker rm -f)');
		expect(ui.frame()).not.toContain('go with it');
		await ui.press('y');
		expect(ui.calls).toEqual(['remove plain-2']);
	});

	it('s stops a container dockerception did not create only after confirmation, p pauses, r restarts', async () => {
		const ui = await mount({rows: 40});
		// Someone else's container: no dockerception labels.
		const plain2 = Object.values(labTree.containers).find((c) => c.name === 'plain-2')!;
		ui.store.dispatch({type: 'container/upsert', container: {...plain2, labels: {}}});
		await ui.press('G', 'k'); // plain-2
		await ui.press('s');
		expect(ui.frame()).toContain('plain-2 was not created by dockerception');
		await ui.press('y');
		await ui.press('p', 'r');
		expect(ui.calls).toEqual(['stop plain-2', 'pause plain-2', 'restart plain-2']);
		await ui.press('G', 's'); // plain-3 is exited: s starts it
		expect(ui.calls.at(-1)).toBe('start plain-3');
	});

	it('n opens the spawn dialog with the mode m chose, and creates what the dialog says', async () => {
		const ui = await mount({rows: 40});
		await ui.press('m');
		expect(ui.frame()).toContain('spawn mode: socket');
		await ui.press('n');
		expect(ui.frame()).toContain('New sandbox on default');
		await ui.press('\u0015', 'my-box');
		expect(ui.frame()).toMatch(/name\s+my-box/);
		await ui.press('\r');
		expect(ui.calls).toEqual(['spawn socket my-box on default']);
		expect(ui.frame()).toContain('creating socket sandbox my-box');
		await ui.press('\u001B');
		expect(ui.frame()).toContain('inner-a1');
	});

	it('the spawn dialog refuses a bad name', async () => {
		const ui = await mount({rows: 40});
		await ui.press('n', '\u0015', 'bad name!', '\r');
		expect(ui.frame()).toContain('letters, digits');
		expect(ui.calls).toEqual([]);
	});

	it('l shows stdout and stderr lines and esc returns to the tree', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'j', 'l');
		expect(ui.frame()).toContain('logs default/dind-a/inner-a1');
		expect(ui.frame()).toContain('hello from stdout');
		expect(ui.frame()).toContain('trouble on stderr');
		await ui.press('\u001B');
		expect(ui.calls).toEqual(['logs inner-a1', 'logs closed inner-a1']);
		expect(ui.frame()).toMatch(/┌─ inner-a1 ─/);
	});

	it('e hands the terminal to a shell and draws nothing until it ends, then the same row', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'j', 'e');
		await ui.shows((frame) => frame.trim() === '', 'the tree cleared for the shell');
		expect(ui.calls).toEqual(['shell inner-a1']);
		// While the shell runs, whatever the app draws is nothing: a tree update does not show.
		const during = ui.frames.length;
		const plain1 = Object.values(labTree.containers).find((c) => c.name === 'plain-1')!;
		const heard = new Promise<void>((resolve) => {
			const unsubscribe = ui.store.subscribe(() => {
				unsubscribe();
				resolve();
			});
		});
		ui.store.dispatch({type: 'container/upsert', container: {...plain1, state: 'paused'}});
		await heard;
		await ui.idle();
		expect(ui.frames.slice(during).filter((frame) => frame.trim() !== '')).toEqual([]);
		ui.endSession();
		await ui.shows((frame) => frame.includes('sh ended (exit 0)'), 'the tree back after the shell');
		expect(ui.frame()).toMatch(/┌─ inner-a1 ─/);
	});

	it('e on a stopped container says why instead of opening a shell', async () => {
		const ui = await mount({rows: 40});
		await ui.press('G', 'e');
		expect(ui.frame()).toContain('default/plain-3 is exited: a shell needs it running');
		expect(ui.calls).toEqual([]);
	});

	it('i copies an image from the parent daemon into the selected DinD', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'i');
		expect(ui.frame()).toContain('Copy an image from default into default/dind-a');
		await ui.press('\u001B[B', '\r');
		await ui.shows((frame) => frame.includes('copied dockerception-lab/dind:2 into default/dind-a'), 'the copy done');
		expect(ui.calls).toEqual(['copy dockerception-lab/dind:2 from default to default/dind-a']);
		await ui.press('g', 'i');
		expect(ui.frame()).toContain('i copies an image into a DinD daemon');
	});

	it('c creates a container from a picked image with a command', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'c');
		expect(ui.frame()).toContain('New container on default/dind-a: pick an image');
		await ui.press('sleep 60', '\r');
		expect(ui.calls).toEqual(['create dockerception-lab/busybox:1 "sleep 60" on default/dind-a']);
	});

	it('m on a sandbox dockerception made offers to recreate it in the next mode', async () => {
		const ui = await mount({rows: 40});
		await ui.press('j', 'm');
		expect(ui.frame()).toContain('Recreate default/dind-a as socket?');
		expect(ui.frame()).toContain('this one is removed once the new one runs; it stays if that fails');
		expect(ui.frame()).toContain('its daemon and its volume go with it: 4 containers and 1 image inside will be lost');
		await ui.press('y');
		await ui.shows((frame) => frame.includes('default/dind-a is now socket'), 'the sandbox recreated');
		expect(ui.calls).toEqual(['recreate dind-a as socket']);
	});
});

describe('the diff view', () => {
	it('a dialog replaced by a result that arrives later is given up, not left waiting', async () => {
		const ui = await mount({rows: 40, columns: 120});
		// D asks for two reports; d, in the same chunk, opens the remove dialog before they come.
		await ui.press('j', 'Dd');
		await ui.shows((frame) => frame.includes('docker info: default vs default/dind-a'), 'the diff');
		await ui.press(keys.esc);
		// The remove flow ended as a no (nothing removed), and says so.
		expect(ui.calls.some((call) => call.startsWith('remove'))).toBe(false);
		expect(ui.frame()).toContain('kept it');
	});

	it('D diffs a DinD daemon against its parent; a shows every field, v adds docker version, esc returns', async () => {
		const ui = await mount({rows: 40, columns: 120});
		await ui.press('j', 'D');
		await ui.shows((frame) => frame.includes('docker info: default vs default/dind-a'), 'the diff');
		expect(ui.calls).toEqual(['report default', 'report default/dind-a']);
		const text = ui.frame();
		expect(text).toContain('docker info: default vs default/dind-a');
		expect(text).toMatch(/OperatingSystem.*\(contain/);
		// The explanation is whole, wrapped inside the dialog rather than cut off.
		const unwrapped = text
			.split('\n')
			.map((line) => line.replace(/^\s*│/, '').replace(/│\s*$/, '').trim())
			.join(' ');
		expect(unwrapped).toContain('dockerd adds "(containerized)" when it finds its PID 1 in a container');
		expect(text).toContain('same kernel 6.18');
		expect(text).toMatch(/\d+ fields equal, \d+ volatile \(a shows them\)/);
		expect(text).not.toMatch(/│ Containers /);
		await ui.press('a');
		expect(ui.frame()).toMatch(/│ Containers\s+│/);
		await ui.press('v');
		expect(ui.frame()).toContain('+ docker version');
		await ui.press('a');
		expect(ui.frame()).not.toMatch(/│ Containers\s+│/);
		await ui.press('\u001B');
		expect(ui.frame()).toContain('inner-a1');
	});

	it('in a narrow terminal a cut value keeps the part that differs', async () => {
		const ui = await mount({rows: 30, columns: 90});
		await ui.press('j', 'D');
		await ui.shows((frame) => frame.includes('│ OperatingSystem'), 'the diff');
		const row = ui
			.frame()
			.split('\n')
			.find((line) => line.includes('│ OperatingSystem'));
		expect(row).toBeDefined();
		expect(row).toContain('(bookworm) (containerized) │');
		expect(row).toMatch(/│ …/);
	});

	it('space marks a daemon and D compares the selected one with it', async () => {
		const ui = await mount({rows: 40, columns: 120});
		await ui.press('j', ' ');
		expect(ui.frame()).toContain('marked default/dind-a for diff');
		expect(ui.frame()).toMatch(/dind-a\s+DinD\s+\[marked\]/);
		await ui.press('g', 'D');
		await ui.shows((frame) => frame.includes('docker info: default/dind-a vs default'), 'the diff');
		expect(ui.calls).toEqual(['report default/dind-a', 'report default']);
		expect(ui.frame()).toContain('docker info: default/dind-a vs default');
	});

	it('D on a root with nothing marked says what to do', async () => {
		const ui = await mount({rows: 40});
		await ui.press('D');
		expect(ui.frame()).toContain('default has no parent daemon: mark another daemon with space, then D');
	});
});

describe('text from daemons never controls the terminal', () => {
	// Sequences an attacker would put in a label, a name, a log line or an inner daemon's answer.
	const sequences = [
		'\u001B]0;TITLE\u0007', // OSC: window title
		'\u001B]52;c;ZXZpbA==\u0007', // OSC 52: write the clipboard
		'\u001B[2J', // CSI: clear the screen
		'\u001B[31m', // SGR: red from here on
		'\u001B[?1049l', // leave the alternate screen
		'\u001BP+q544e\u001B\\', // DCS: ask the terminal something
		'\u001B_payload\u001B\\', // APC
		'\u001B^privacy\u001B\\', // PM
		'\u009B6n', // C1 CSI: report the cursor
		'\u0007\u0008\r\u0000\u007F',
		'\u001Bc', // reset the terminal
	];
	/** A seeded generator: the same hostile strings every run, many shapes. */
	function hostile(seed: number) {
		let state = seed;
		const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
		return (text: string) => {
			const pick = sequences[next() % sequences.length]!;
			const at = next() % (text.length + 1);
			return `${text.slice(0, at)}${pick}${text.slice(at)}${sequences[next() % sequences.length]}`;
		};
	}
	/** Every string in the tree (but the keys that link it) gets a control sequence. */
	function poison<T>(value: T, taint: (text: string) => string, key = ''): T {
		if (typeof value === 'string')
			return (
				['key', 'path', 'daemonPath', 'id', 'innerDaemon', 'parentContainer', 'sharesDaemon', 'status', 'kind', 'state', 'type'].includes(key)
					? value
					: taint(value)
			) as T;
		if (Array.isArray(value)) return value.map((item) => (key === 'containers' || key === 'roots' ? item : poison(item, taint))) as T;
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, poison(item, taint, name)])) as T;
		return value;
	}
	// A C0 or C1 control other than a line break, in what the app wrote: it did not mean it.
	const unmeant = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

	for (const seed of [1, 7, 42, 1234, 99_999]) {
		it(`seed ${seed}: tree, details of every row, logs and the info diff hold no control byte from the data`, async () => {
			const taint = hostile(seed);
			const tree = poison(labTree, taint);
			for (const container of Object.values(tree.containers)) {
				container.labels = {...container.labels, [taint('note')]: taint('value')};
				container.status = taint(container.status);
			}
			const ui = await mount({
				columns: 140,
				rows: 45,
				tree,
				feeds: {
					logs: [
						{stream: 'stdout', text: taint('a log line')},
						{stream: 'stderr', text: taint('an error line')},
					],
					report: (report) => poison(report, taint),
				},
			});
			const frames: string[] = [ui.frame()];
			const rows = Object.keys(tree.containers).length + tree.roots.length + 4;
			for (let index = 0; index < rows; index++) {
				await ui.press('j');
				frames.push(ui.frame());
			}
			await ui.press('g', 'l');
			frames.push(ui.frame());
			await ui.press(keys.esc, 'j', 'D');
			frames.push(ui.frame());
			await ui.press(keys.esc, '?');
			frames.push(ui.frame());
			expect(frames.join('\n')).toContain('␛');
			for (const frame of frames) expect(frame).not.toMatch(unmeant);
		});
	}

	it('a name or image with a newline or tab draws no row of its own: the break is shown as ␊ on its row', async () => {
		const tree = structuredClone(labTree);
		const plain = Object.values(tree.containers).find((container) => container.name === 'plain-2')!;
		plain.name = 'x\n● prod-db\tUp 3 days';
		plain.image = 'busybox\n● fake-image';
		plain.labels = {...plain.labels, note: 'one\ntwo'};
		const ui = await mount({columns: 140, rows: 45, tree});
		const lines = () => ui.frame().split('\n');
		expect(ui.frame()).toContain('x␊● prod-db␉Up 3 days');
		// Every line that shows the fake row's text is the real row, with the picture before it.
		for (const line of lines().filter((candidate) => candidate.includes('prod-db'))) expect(line).toContain('x␊● prod-db');
		// Selected: the details and the status bar show it the same way, each on one line.
		const rows = Object.keys(tree.containers).length + tree.roots.length;
		const statusBar = () => lines().at(-1) ?? '';
		for (let index = 0; index < rows && !statusBar().includes('prod-db'); index++) await ui.press('j');
		expect(statusBar()).toContain('default/x␊● prod-db␉Up 3 days');
		expect(ui.frame()).toMatch(/one␊two/);
		for (const text of ['prod-db', 'fake-image', 'two']) {
			for (const line of lines().filter((candidate) => candidate.includes(text))) expect(line).toMatch(/␊/);
		}
	});

	it('logs keep their own colours and lose every other control', async () => {
		const ui = await mount({feeds: {logs: [{stream: 'stdout', text: 'plain \u001B[32mgreen\u001B[0m then \u001B]0;TITLE\u0007 end'}]}});
		await ui.press('j', 'l');
		const frame = ui.frame();
		expect(frame).toContain('␛]0;TITLE␇ end');
		expect(frame.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(unmeant);
	});
});
