#!/usr/bin/env node
// Idle cost of a DinD look-alike whose daemon never answers (a dind image running `sleep`):
// the TUI's CPU and the execs it starts in that container, from 30 s to 90 s after the
// container started (after its boot grace). BASE=DIR also measures the build in DIR (its
// dist/bin/cli.js), for before/after. Run by hand after `node scripts/lab-up.mjs` and
// `npm run build`; prints a table.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {clientForTransport} from '../dist/daemon/client.js';
import {labHost, printTable} from './lib.mjs';

const host = labHost();
const root = clientForTransport({kind: 'unix', socketPath: host.slice(7)}, 30_000);
const tmux = (...args) => execFileSync('tmux', ['-L', 'dockerception-silent', ...args], {encoding: 'utf8'});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ticks = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
const cpuMs = (pid) => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
};
const builds = [['this build', process.cwd()], ...(process.env.BASE ? [['BASE', process.env.BASE]] : [])];
const rows = [];

const removeSilent = () =>
	root.docker
		.getContainer('silent-dind')
		.remove({force: true, v: true})
		.catch(() => {});

/** The TUI's CPU and the execs in silent-dind from 30 s to 90 s after `from`. */
async function measure(dir, flags, from) {
	try {
		tmux('kill-server');
	} catch {}
	tmux('new-session', '-d', '-x', '160', '-y', '50', `DOCKER_HOST=${host} node ${join(dir, 'dist/bin/cli.js')} ${flags}`);
	await sleep(2000);
	const shell = tmux('display-message', '-p', '#{pane_pid}').trim();
	// The pane's shell may have exec'd node itself.
	let pid = Number(shell);
	try {
		pid = Number(execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0]);
	} catch {}
	await sleep(Math.max(0, from + 30_000 - Date.now()));
	const since = Math.floor(Date.now() / 1000);
	const before = cpuMs(pid);
	await sleep(60_000);
	const used = cpuMs(pid) - before;
	const until = Math.floor(Date.now() / 1000);
	tmux('kill-server');
	const events = await root.docker.getEvents({since, until, filters: {container: ['silent-dind'], event: ['exec_create']}});
	const text = await new Promise((resolve) => {
		let all = '';
		events.on('data', (chunk) => (all += chunk.toString()));
		events.on('end', () => resolve(all));
	});
	return {percent: (used / 60_000) * 100, execs: text.split('\n').filter(Boolean).length};
}

for (const [label, dir] of builds) {
	await removeSilent();
	const baseline = await measure(dir, '--tunnel-only', Date.now());
	rows.push([label, 'no such container (the TUI idle)', `${baseline.percent.toFixed(2)} %`, '-']);
	const container = await root.docker.createContainer({
		name: 'silent-dind',
		Image: 'dockerception-lab/dind:2',
		Entrypoint: ['sleep', '86400'],
		Labels: {'io.dockerception.lab': 'true'},
	});
	await container.start();
	for (const [seat, flags] of [
		['root, /proc then tunnel', ''],
		['tunnels only', '--tunnel-only'],
	]) {
		// Each seat's window starts 30 s after its container's start, so both see it past its grace.
		await container.restart({t: 0});
		const {percent, execs} = await measure(dir, flags, Date.now());
		rows.push([label, seat, `${percent.toFixed(2)} %`, `${execs}`]);
		console.error(`[silent] ${label}, ${seat}: ${percent.toFixed(2)} % CPU, ${execs} execs in 60 s`);
	}
}
await removeSilent();
root.close();
printTable(
	'A DinD look-alike whose daemon never answers, 30-90 s after its start',
	['build', 'seat', 'TUI CPU (of a core)', 'execs in the container per minute'],
	rows,
);
