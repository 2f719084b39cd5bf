#!/usr/bin/env node
// Time from process start to the first frame that shows the whole lab tree, in a real
// terminal (tmux). Split from the process's own trace (DOCKERCEPTION_TRACE): start-up to
// main(), the UI's modules loaded, discovery settled, and the first full frame.
// Also: idle CPU of the TUI over 30 s once the tree is loaded.
// Needs the lab with the reference topology (17 containers).
// BASE=path/to/cli.js measures another build too (a checkout of an earlier commit, built), its
// runs interleaved with this one's, so both see the same machine noise.
// Node 20 reads NODE_EXTRA_CA_CERTS at start-up (Node 22 on, when first needed): ~50 ms here,
// where the environment sets it for a proxy. It is left out, as on a user's machine, unless
// KEEP_EXTRA_CA=1.
// Each build gets a code cache directory of its own (two builds would evict each other's), and
// one run first that is not counted: it starts with no cache and leaves the TUI's one written.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fmt, labHost, median, printTable} from './lib.mjs';

const runs = Number(process.env.RUNS ?? 5);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 30);
const expected = Number(process.env.CONTAINERS ?? 17);
// CLI=path/to/cli.js compares another build (e.g. a copy of dist from before a change).
const cli = process.env.CLI ?? 'dist/bin/cli.js';
const base = process.env.BASE;
const keepExtraCa = process.env.KEEP_EXTRA_CA === '1';
// NODE=path/to/node runs it on another Node (the start-up differs a lot between lines).
const node = process.env.NODE ?? 'node';
const tmux = (...args) => execFileSync('tmux', ['-L', 'dockerception-bench', ...args], {encoding: 'utf8'});
let trace = '';

let session = 0;
let pid;
// A session that outlives the measured ones: killing the server's last session ends the server.
// A server left by an interrupted run goes first; this run's goes when the run ends (ctrl-c too).
const killServer = () => {
	try {
		execFileSync('tmux', ['-L', 'dockerception-bench', 'kill-server'], {stdio: 'ignore'});
	} catch {}
};
killServer();
process.on('exit', killServer);
process.on('SIGINT', () => process.exit(130));
tmux('new-session', '-d', '-s', 'keeper', 'sleep 86400');
const cacheHomes = new Map();
process.on('exit', () => {
	for (const home of cacheHomes.values()) rmSync(home, {recursive: true, force: true});
});
const cacheHomeOf = (program) => {
	if (!cacheHomes.has(program)) cacheHomes.set(program, mkdtempSync(join(tmpdir(), 'dockerception-bench-cache-')));
	return cacheHomes.get(program);
};
async function launch(extra = '', program = cli) {
	// The previous process is gone before the next starts: two at once share the CPU.
	if (session > 0) {
		tmux('kill-session', '-t', `b${session}`);
		while (pid && existsSync(`/proc/${pid}`)) await new Promise((resolve) => setTimeout(resolve, 10));
	}
	session++;
	// A trace file per launch.
	trace = `/tmp/dockerception-bench-trace-${process.pid}-${session}`;
	rmSync(trace, {force: true});
	tmux(
		'new-session',
		'-d',
		'-s',
		`b${session}`,
		'-x',
		'120',
		'-y',
		'40',
		`${keepExtraCa ? '' : 'unset NODE_EXTRA_CA_CERTS; '}XDG_CACHE_HOME=${cacheHomeOf(program)} DOCKERCEPTION_TRACE=${trace} DOCKER_HOST=${labHost()} exec ${node} ${program} ${extra}`,
	);
	pid = tmux('display-message', '-p', '-t', `b${session}`, '#{pane_pid}').trim();
}

function readTrace() {
	const marks = {};
	for (const line of readFileSync(trace, 'utf8').trim().split('\n')) {
		const [label, ms, renderTime, containers] = line.split(' ');
		if (label === 'compiled') marks.cache = renderTime;
		if (label === 'frame') {
			marks.firstFrame ??= Number(ms);
			if (Number(containers) >= expected && marks.fullFrame === undefined) {
				marks.fullFrame = Number(ms);
				marks.inkTime = Number(renderTime);
			}
		} else marks[label] ??= Number(ms);
	}
	return marks;
}

async function waitForFullFrame(timeoutMs = 15_000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		try {
			if (readTrace().fullFrame) return readTrace();
		} catch {}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error('no full frame');
}

const rows = [];
const builds = base
	? [
			['base', base],
			['this', cli],
		]
	: [['this', cli]];
// The uncounted first run of each build: the TUI writes its cache a second after discovery settles.
for (const [, program] of builds) {
	await launch('', program);
	await waitForFullFrame();
	const written = Date.now();
	const codeDir = join(cacheHomeOf(program), 'dockerception', 'code');
	while (Date.now() - written < 5000 && !(existsSync(codeDir) && readdirSync(codeDir).some((name) => name.endsWith('.tui'))))
		await new Promise((resolve) => setTimeout(resolve, 50));
}
for (const [label, flags] of [
	['/proc shortcut', ''],
	['exec tunnels', '--tunnel-only'],
]) {
	const samples = new Map(builds.map(([name]) => [name, []]));
	for (let run = 0; run < runs; run++) {
		for (const [name, program] of builds) {
			await launch(flags, program);
			samples.get(name).push(await waitForFullFrame());
		}
	}
	for (const [name] of builds) {
		const pick = (key) => {
			const values = samples
				.get(name)
				.map((s) => s[key])
				.filter((v) => v !== undefined);
			return values.length ? fmt(median(values)) : '—';
		};
		// The code cache each run compiled with (builds before the launcher kept one say nothing).
		const caches = [...new Set(samples.get(name).map((sample) => sample.cache ?? '—'))].join(', ');
		rows.push([
			base ? `${label} (${name})` : label,
			caches,
			pick('main'),
			pick('ui-loaded'),
			pick('settled'),
			pick('render'),
			pick('inkTime'),
			pick('fullFrame'),
		]);
	}
}
printTable(
	`TUI start-up on Node ${execFileSync(node, ['--version'], {encoding: 'utf8'}).trim()}, ms since process start (median of ${runs}${keepExtraCa ? ', NODE_EXTRA_CA_CERTS kept' : ''})`,
	['route', 'code cache', 'main()', 'UI loaded', 'discovery settled', 'render starts', "Ink's output", 'first full frame'],
	rows,
);

// Idle: tree loaded, nothing changing.
await launch();
await waitForFullFrame();
// Let start-up garbage be collected first: idle means after start-up.
await new Promise((resolve) => setTimeout(resolve, 5000));
const cpu = () => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks
};
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const before = cpu();
await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
const ticks = cpu() - before;
const percent = (ticks / 100 / idleSeconds) * 100;
printTable(
	`TUI idle over ${idleSeconds} s (tree loaded, nothing changing)`,
	['CPU time', 'share of one core', 'resident memory'],
	[[`${(ticks * 10).toFixed(0)} ms`, `${percent.toFixed(2)} %`, `${rss().toFixed(0)} MB`]],
);
