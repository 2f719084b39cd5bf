// The big-tree bench's measuring part: bench/big-tree.mjs bundles it the way the CLI is bundled
// (the same patched Ink, React's production build) and runs the bundle. See there.
// BIG_TREE_DEBUG=1 adds where resident memory is (file-backed, anonymous, V8's spaces);
// BIG_TREE_ALLOC=1 adds the biggest allocation sites over the key presses (sampled).
import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import {Writable} from 'node:stream';
import {render} from 'ink';
import React from 'react';
import {median, percentile, printTable} from './lib.mjs';
import {unicodeGlyphs} from '../source/output/glyphs.js';
import {createTreeStore} from '../source/store/store.js';
import {App} from '../source/ui/App.js';
import {keepYoungGenerationSize} from '../source/ui/steady-memory.js';

const lab = JSON.parse(readFileSync(process.env.LAB_TREE, 'utf8'));
const template = Object.values(lab.containers).find((c) => c.name === 'plain-1');
const dindTemplate = Object.values(lab.containers).find((c) => c.name === 'dind-a');
const daemonTemplate = lab.daemons['default/dind-a'];

/** A root with 9 DinD containers; every daemon holds ~100 busybox containers. */
function bigTree(daemonCount = 10, perDaemon = 100) {
	const tree = {roots: ['default'], daemons: {default: {...lab.daemons.default, containers: []}}, containers: {}};
	const add = (daemonPath, container) => {
		tree.containers[container.key] = container;
		tree.daemons[daemonPath].containers.push(container.key);
	};
	for (let d = 1; d < daemonCount; d++) {
		const id = `dind${d}`.padEnd(64, '0');
		const path = `default/dind-${d}`;
		add('default', {...dindTemplate, key: `default#${id}`, id, name: `dind-${d}`, innerDaemon: path});
		tree.daemons[path] = {...daemonTemplate, path, parentContainer: `default#${id}`, containers: []};
	}
	for (const path of Object.keys(tree.daemons)) {
		for (let c = 0; c < perDaemon - (path === 'default' ? daemonCount - 1 : 0); c++) {
			const id = `${path.length}${c}`.padEnd(64, 'a') + path;
			add(path, {...template, key: `${path}#${id}`, id, daemonPath: path, name: `box-${String(c).padStart(3, '0')}`});
		}
	}
	return tree;
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	data = null;
	write(data) {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	}
	read() {
		const data = this.data;
		this.data = null;
		return data;
	}
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

const tree = bigTree();
const count = Object.keys(tree.containers).length;
const stdout = Object.assign(new Writable({write: (_chunk, _encoding, callback) => callback()}), {columns: 120, rows: 40, isTTY: true});
const stdin = new FakeStdin();
let frameResolve;
const firstFrame = new Promise((resolve) => (frameResolve = resolve));
const instance = render(
	React.createElement(App, {store: createTreeStore(tree), controller: {refresh: async () => {}, handles: new Set()}, glyphs: unicodeGlyphs, ascii: false}),
	{stdout, stdin, patchConsole: false, exitOnCtrlC: false, onRender: () => frameResolve?.()},
);
await firstFrame;
// As the TUI does once its first full frame is drawn (source/ui/run-tui.tsx, a second after discovery settles).
if (process.env.UNPATCHED !== '1') keepYoungGenerationSize();

async function press(input) {
	const frame = new Promise((resolve) => (frameResolve = resolve));
	const started = performance.now();
	stdin.write(input);
	await frame;
	const ms = performance.now() - started;
	// Let Ink's frame throttle (30 fps) pass so each press is measured on its own.
	await new Promise((resolve) => setTimeout(resolve, 40));
	return ms;
}

let sampling;
if (process.env.BIG_TREE_ALLOC) {
	const {Session} = await import('node:inspector/promises');
	sampling = new Session();
	sampling.connect();
	await sampling.post('HeapProfiler.startSampling', {samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true});
}
// Warm-up, not counted: the code paths of moving and scrolling run once before they are timed.
for (const key of [...Array(20).fill('j'), '\u001B[6~', 'G', 'g']) await press(key);
const rows = [];
for (const [label, keys] of [
	['j (move down) x 60', Array(60).fill('j')],
	['PgDn x 20', Array(20).fill('\u001B[6~')],
	['G / g (last / first row) x 10', Array(10).fill(['G', 'g']).flat()],
	['← / → (fold / unfold a daemon of 100) x 10', ['g', 'j', ...Array(10).fill(['\u001B[D', '\u001B[C']).flat()]],
	['/ then typing a filter, 8 keys', ['/', 'b', 'o', 'x', '-', '0', '4', '2', '\r', '\u001B']],
]) {
	const times = [];
	for (const key of keys) times.push(await press(key));
	rows.push([label, `${median(times).toFixed(1)} ms`, `${percentile(times, 0.9).toFixed(1)} ms`, `${Math.max(...times).toFixed(1)} ms`]);
}
if (sampling) {
	const {profile} = await sampling.post('HeapProfiler.stopSampling');
	const totals = new Map();
	const walk = (node, stack) => {
		const frame = `${node.callFrame.functionName || '(anon)'}:${node.callFrame.lineNumber}`;
		const here = [...stack, frame];
		const self = node.selfSize;
		if (self) {
			const key = here.slice(-4).join(' < ');
			totals.set(key, (totals.get(key) ?? 0) + self);
		}
		for (const child of node.children) walk(child, here);
	};
	walk(profile.head, []);
	const all = [...totals.values()].reduce((a, b) => a + b, 0);
	console.log('allocated', (all / 1048576).toFixed(1), 'MB');
	for (const [key, bytes] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((bytes / 1048576).toFixed(2).padStart(7), key);
}
global.gc?.();
const usage = process.memoryUsage();
if (process.env.BIG_TREE_DEBUG) {
	console.log(
		readFileSync('/proc/self/status', 'utf8')
			.split('\n')
			.filter((line) => /^Rss/.test(line))
			.join(' '),
	);
	const v8 = await import('node:v8');
	console.log(
		v8
			.getHeapSpaceStatistics()
			.map((space) => `${space.space_name} ${(space.space_size / 1048576).toFixed(1)}/${(space.physical_space_size / 1048576).toFixed(1)}`)
			.join(', '),
	);
}
const rss = usage.rss / 1024 / 1024;
instance.unmount();
printTable(`Key press to new frame, ${count} containers in 10 daemons, 120x40 (after warm-up)`, ['keys', 'median', 'p90', 'max'], rows);
printTable(
	'Memory with that model loaded',
	['resident set', 'heap used', 'heap total', 'outside the heap (Yoga, buffers)'],
	[[rss, usage.heapUsed, usage.heapTotal, usage.external].map((bytes, index) => `${(index === 0 ? bytes : bytes / 1024 / 1024).toFixed(0)} MB`)],
);
