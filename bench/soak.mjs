#!/usr/bin/env node
// Soak: the TUI (exec tunnels only) and a `--json` poller run while 500 containers are created
// and removed across the host and two nested daemons, and a DinD is stopped and started 20
// times, spread over SOAK_SECONDS (default 600). Then: does the screen show exactly what exists,
// are the DinD containers free of leftover execs, did memory stay within 20 % of minute one,
// and did the log stay free of unhandled rejections. Run by hand (not in CI), after
// `node scripts/lab-up.mjs` and `npm run build`.
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {clientForTransport} from '../dist/daemon/client.js';
import {startDind} from '../dist/lab/topology.js';
import {labHost, printTable} from './lib.mjs';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const totalContainers = Number(process.env.SOAK_CONTAINERS ?? 500);
const restarts = Number(process.env.SOAK_RESTARTS ?? 20);
const host = labHost();
const tmux = (...args) => execFileSync('tmux', ['-L', 'dockerception-soak', ...args], {encoding: 'utf8'});
const log = '/tmp/dockerception-soak.log';
// The TUI's own trace: a memory line every 10 s (rss, heap used, heap total, external).
const trace = '/tmp/dockerception-soak-trace.log';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const labels = {'io.dockerception.soak': 'true'};

const root = clientForTransport({kind: 'unix', socketPath: host.slice(7)}, 30_000);
for (const name of ['soak-1', 'soak-2'])
	await root.docker
		.getContainer(name)
		.remove({force: true, v: true})
		.catch(() => {});
console.error('[soak] starting soak-1 and soak-2');
const [one, two] = await Promise.all([startDind(root, 'soak-1', undefined, {labels}), startDind(root, 'soak-2', undefined, {labels})]);
const daemons = [
	{name: 'default', client: root},
	{name: 'default/soak-1', client: one.client},
	{name: 'default/soak-2', client: two.client},
];

rmSync(log, {force: true});
rmSync(trace, {force: true});
try {
	tmux('kill-server');
} catch {}
tmux(
	'new-session',
	'-d',
	'-x',
	'160',
	'-y',
	'50',
	`DOCKER_HOST=${host} DOCKERCEPTION_TRACE=${trace} node dist/bin/cli.js --tunnel-only 2>${log}; echo EXIT=$? >> ${log}`,
);
await sleep(3000);
const shell = tmux('display-message', '-p', '#{pane_pid}').trim();
const tuiPid = Number(execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0]);
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${tuiPid}/status`, 'utf8'))[1]) / 1024;

let polls = 0;
let pollFailures = 0;
let stopPolling = false;
const poll = async () => {
	while (!stopPolling) {
		await new Promise((resolve) => {
			const child = spawn('node', ['dist/bin/cli.js', '--json', '--tunnel-only'], {
				env: {...process.env, DOCKER_HOST: host},
				stdio: ['ignore', 'ignore', 'ignore'],
			});
			child.on('exit', (code) => {
				polls++;
				if (code !== 0) pollFailures++;
				resolve();
			});
		});
		await sleep(5000);
	}
};
const poller = poll();

const started = Date.now();
let rssAtMinute;
let created = 0;
let restarted = 0;
const alive = [];
const pace = (seconds * 1000 * 0.9) / totalContainers;
while (created < totalContainers) {
	const daemon = daemons[created % daemons.length];
	// soak-2 restarting: its daemon is down for a moment, use the others then.
	const target = daemon.name === 'default/soak-2' && restarted % 2 === 1 ? daemons[0] : daemon;
	const name = `soak-c${created}`;
	try {
		const container = await target.client.docker.createContainer({
			Image: 'dockerception-lab/busybox:1',
			name,
			Cmd: ['sleep', '600'],
			Labels: labels,
			HostConfig: {Init: true},
		});
		await container.start();
		alive.push({client: target.client, name});
	} catch (error) {
		console.error(`[soak] ${name} on ${target.name}: ${error.message}`);
	}
	created++;
	while (alive.length > 12) {
		const old = alive.shift();
		await old.client.docker
			.getContainer(old.name)
			.remove({force: true})
			.catch(() => {});
	}
	if (created % Math.floor(totalContainers / restarts) === 0 && restarted < restarts) {
		// Stop and start soak-2: its subtree goes away and comes back.
		for (const entry of alive.filter((item) => item.client === two.client)) alive.splice(alive.indexOf(entry), 1);
		await root.docker.getContainer('soak-2').stop({t: 2});
		await sleep(500);
		await root.docker.getContainer('soak-2').start();
		restarted++;
		for (let attempt = 0; attempt < 60; attempt++) {
			if (
				await two.client.docker.ping().then(
					() => true,
					() => false,
				)
			)
				break;
			await sleep(500);
		}
		// Containers in soak-2 were stopped with it; remove them.
		for (const info of await two.client.docker.listContainers({all: true}).catch(() => [])) {
			await two.client.docker
				.getContainer(info.Id)
				.remove({force: true})
				.catch(() => {});
		}
	}
	if (!rssAtMinute && Date.now() - started > 60_000) rssAtMinute = rss();
	await sleep(pace);
}
console.error(`[soak] ${created} containers created and removed, soak-2 restarted ${restarted} times, ${Math.round((Date.now() - started) / 1000)} s`);
for (const entry of alive.splice(0))
	await entry.client.docker
		.getContainer(entry.name)
		.remove({force: true})
		.catch(() => {});
stopPolling = true;
await poller;
await sleep(3000);

// What exists, by name, against what the screen shows.
const exists = new Set();
for (const daemon of daemons) for (const info of await daemon.client.docker.listContainers({all: true})) exists.add(info.Names[0].slice(1));
const screen = tmux('capture-pane', '-p');
const shown = new Set([...screen.matchAll(/[●○◐✕] ([\w.-]+)/g)].map((match) => match[1]));
const soakShown = [...shown].filter((name) => name.startsWith('soak-c'));
const missing = [...exists].filter((name) => !shown.has(name));
const rssEnd = rss();
tmux('send-keys', 'q');
await sleep(3000);
const execs = (await Promise.all([root.docker.getContainer('soak-1').inspect(), root.docker.getContainer('soak-2').inspect()])).map(
	(info) => info.ExecIDs?.length ?? 0,
);
one.client.close();
two.client.close();
// A closed tunnel's dial-stdio exits a moment later: give the daemons up to 5 s to drop it.
let execsAfter = [];
for (let attempt = 0; attempt < 25; attempt++) {
	execsAfter = (await Promise.all([root.docker.getContainer('soak-1').inspect(), root.docker.getContainer('soak-2').inspect()])).map(
		(info) => info.ExecIDs?.length ?? 0,
	);
	if (execsAfter.every((count) => count === 0)) break;
	await sleep(200);
}
const text = readFileSync(log, 'utf8');
// The lowest heap use in a stretch is close to what survives garbage collection: compare the
// second minute with the last one (the first holds start-up).
const memory = readFileSync(trace, 'utf8')
	.split('\n')
	.filter((line) => line.startsWith('memory '))
	.map((line) => line.split(' ').map(Number))
	.map(([, ms, , heapUsed]) => ({ms, heapUsed}));
const lastMs = memory.at(-1)?.ms ?? 0;
const lowest = (from, to) => Math.min(...memory.filter((m) => m.ms >= from && m.ms < to).map((m) => m.heapUsed));
const heapEarly = lowest(60_000, 120_000);
const heapLate = lowest(lastMs - 60_000, lastMs + 1);
const rejections = (text.match(/unhandled|unexpected error/gi) ?? []).length;
for (const name of ['soak-1', 'soak-2'])
	await root.docker
		.getContainer(name)
		.remove({force: true, v: true})
		.catch(() => {});
root.close();
try {
	tmux('kill-server');
} catch {}

printTable(
	`Soak: ${created} containers, ${restarted} DinD restarts, ${Math.round((Date.now() - started) / 1000)} s`,
	['check', 'result'],
	[
		['containers that exist but are not on screen', missing.length ? missing.join(', ') : 'none'],
		['removed containers still on screen', soakShown.length ? soakShown.join(', ') : 'none'],
		['--json polls (failed)', `${polls} (${pollFailures})`],
		["execs in soak-1 / soak-2 after quit (the soak's own pooled tunnel still open: 1 each)", execs.join(' / ')],
		["execs once the soak's own clients closed too", execsAfter.join(' / ')],
		[
			'TUI resident memory after 1 min / at the end',
			`${rssAtMinute?.toFixed(0)} MB / ${rssEnd.toFixed(0)} MB (${(((rssEnd - rssAtMinute) / rssAtMinute) * 100).toFixed(1)} %)`,
		],
		[
			'TUI heap used, lowest in minute 2 / in the last minute',
			`${heapEarly.toFixed(1)} MB / ${heapLate.toFixed(1)} MB (${(((heapLate - heapEarly) / heapEarly) * 100).toFixed(1)} %)`,
		],
		['unhandled rejections or unexpected errors in the log', String(rejections)],
		['TUI exit', /EXIT=(\d+)/.exec(text)?.[1] ?? 'not recorded'],
	],
);
